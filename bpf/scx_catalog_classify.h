/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Classification: which class a task belongs to. Part of scx_catalog.bpf.c's one compilation
 * unit (included after its maps and count()); kept apart so that the whole matching side of
 * the scheduler reads in one place, as user space's RuleMatcher does.
 *
 * Order: tgid pin (processes user space matched itself: cmdline/cgroup conditions, full-name
 * rules, interpreter pins) -> exe (device, inode), for tasks of the initial user namespace only:
 * exe pins and the system files that vouch for a boosting name -> thread comm -> group leader comm -> SC_DEFAULT_CLASS (the task's own nice).
 * A name alone never earns a boost: user space leaves it out of every comm entry.
 */
#ifndef SCX_CATALOG_CLASSIFY_H
#define SCX_CATALOG_CLASSIFY_H

static __always_inline void comm_key(struct sc_comm_key *key, const char *comm)
{
	bool end = false;
	int i;

	__builtin_memset(key, 0, sizeof(*key));
	bpf_probe_read_kernel(key->comm, sizeof(key->comm), comm);
#pragma unroll
	for (i = 0; i < SC_COMM_LEN; i++) {
		if (key->comm[i] == 0)
			end = true;
		if (end)
			key->comm[i] = 0;
	}
}

/* The running executable's inode, or NULL (kernel threads, exiting tasks). */
static __always_inline struct inode *exe_inode(struct task_struct *p)
{
	struct file *exe = BPF_CORE_READ(p, mm, exe_file);

	return exe ? BPF_CORE_READ(exe, f_inode) : NULL;
}

/* The initial user namespace is the only one at level 0. */
static __always_inline bool in_initial_user_ns(struct task_struct *p)
{
	return BPF_CORE_READ(p, cred, user_ns, level) == 0;
}

/* A comm entry's class. User space already left the boost out of a boosting rule's comm entry
 * (a name is not an identity); the rule's vouching files reach the boost through the exe map. */
static __always_inline u32 comm_hit(const struct sc_match *m)
{
	if (m->flags & SC_MATCH_BOOST_WITHHELD)
		count(SC_CNT_VOUCH_DENIED);
	return m->class_id;
}

static u32 resolve_class(struct task_struct *p)
{
	struct task_struct *leader;
	struct sc_comm_key key;
	struct sc_exe_key ekey;
	struct sc_match *m;
	struct inode *inode;
	u32 tgid = p->tgid;

	count(SC_CNT_LOOKUP);
	m = bpf_map_lookup_elem(&sc_tgid, &tgid);
	if (m) {
		leader = BPF_CORE_READ(p, group_leader);
		if (!m->start_ticks ||
		    BPF_CORE_READ(leader, start_boottime) / NSEC_PER_USER_TICK == m->start_ticks) {
			count(SC_CNT_HIT_TGID);
			return m->class_id;
		}
	}
	/* a task in a user namespace of its own may have re-pointed its exe link at any file
	 * (prctl PR_SET_MM_MAP with an exe_fd): its exe is no identity there */
	inode = in_initial_user_ns(p) ? exe_inode(p) : NULL;
	if (inode) {
		ekey.dev = BPF_CORE_READ(inode, i_sb, s_dev);
		ekey.ino = BPF_CORE_READ(inode, i_ino);
		m = bpf_map_lookup_elem(&sc_exe, &ekey);
		if (m) {
			count(SC_CNT_HIT_EXE);
			return m->class_id;
		}
	}
	comm_key(&key, p->comm);
	m = bpf_map_lookup_elem(&sc_comm, &key);
	if (m) {
		count(SC_CNT_HIT_COMM);
		return comm_hit(m);
	}
	leader = BPF_CORE_READ(p, group_leader);
	if (leader && leader != p) {
		comm_key(&key, leader->comm);
		m = bpf_map_lookup_elem(&sc_comm, &key);
		if (m) {
			count(SC_CNT_HIT_LEADER_COMM);
			return comm_hit(m);
		}
	}
	return SC_DEFAULT_CLASS;
}

#endif /* SCX_CATALOG_CLASSIFY_H */
