/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Classification: which class a task belongs to. Part of scx_catalog.bpf.c's one compilation
 * unit (included after its maps and count()); kept apart so that the whole matching side of
 * the scheduler reads in one place, as user space's RuleMatcher does.
 *
 * Order: tgid pin (processes user space matched itself: cmdline/cgroup conditions, full-name
 * rules, interpreter pins) -> exe (device, inode), for tasks of the initial user namespace only:
 * exe pins and the system files that vouch for a boosting name, each for a process of its rule's
 * name only -> thread comm -> group leader comm -> SC_DEFAULT_CLASS (the task's own nice).
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

/* The running executable, or NULL (kernel threads, exiting tasks). */
static __always_inline struct file *exe_file(struct task_struct *p)
{
	return BPF_CORE_READ(p, mm, exe_file);
}

static __always_inline bool same_comm(const struct sc_comm_key *a, const char *b)
{
	int i;

#pragma unroll
	for (i = 0; i < SC_COMM_LEN; i++)
		if (a->comm[i] != b[i])
			return false;
	return true;
}

/* Is @exe's file name the entry's rule name? (length, then FNV-1a 64 of the whole name) */
static __always_inline bool file_named(struct file *exe, const struct sc_exe_match *m)
{
	struct dentry *dentry = BPF_CORE_READ(exe, f_path.dentry);
	u32 len = BPF_CORE_READ(dentry, d_name.len), zero = 0, i;
	const unsigned char *name = BPF_CORE_READ(dentry, d_name.name);
	struct name_buf *buf;
	u64 hash = SC_FNV64_OFFSET;

	if (len != m->name_len || len > SC_NAME_MAX)
		return false;
	buf = bpf_map_lookup_elem(&sc_name_buf, &zero);
	if (!buf || bpf_probe_read_kernel(buf->bytes, len, name) < 0)
		return false;
	bpf_for(i, 0, len) {
		hash ^= (unsigned char)buf->bytes[i & SC_NAME_MAX];
		hash *= SC_FNV64_PRIME;
	}
	return hash == m->name_hash;
}

/*
 * Does the exe entry's rule name the process, as user space's RuleMatcher sees it: its group
 * leader's comm (a 15-byte comm stands for a longer name when the rule allows it), or the name
 * of the file it runs? (argv[0], user space's third source, lives in user memory.)
 */
static __always_inline bool rule_names_process(struct task_struct *p, struct file *exe, const struct sc_exe_match *m)
{
	struct task_struct *leader = BPF_CORE_READ(p, group_leader);
	struct sc_comm_key key;

	if (leader) {
		comm_key(&key, leader->comm);
		if (same_comm(&key, m->comm) && (m->name_len < SC_COMM_LEN || (m->name_flags & SC_EXE_NAME_TRUNCATED)))
			return true;
	}
	return file_named(exe, m);
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
	struct sc_exe_match *em;
	struct sc_match *m;
	struct inode *inode;
	struct file *exe;
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
	exe = in_initial_user_ns(p) ? exe_file(p) : NULL;
	inode = exe ? BPF_CORE_READ(exe, f_inode) : NULL;
	if (inode) {
		ekey.dev = BPF_CORE_READ(inode, i_sb, s_dev);
		ekey.ino = BPF_CORE_READ(inode, i_ino);
		em = bpf_map_lookup_elem(&sc_exe, &ekey);
		if (em && rule_names_process(p, exe, em)) {
			count(SC_CNT_HIT_EXE);
			return em->match.class_id;
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
