/* SPDX-License-Identifier: GPL-2.0-only OR Apache-2.0 */
/*
 * The ABI between scx_catalog.bpf.c and schedcat's Swift loader (module SchedcatABI):
 * map key/value layouts, limits and flags. Every struct is padded by hand so that BPF,
 * C and Swift agree on its size without compiler-specific packing.
 */
#ifndef SCX_CATALOG_H
#define SCX_CATALOG_H

#ifndef __bpf__
#include <linux/types.h>
#endif

#define SC_COMM_LEN		16
#define SC_MAX_RULES		65536	/* comm and exe maps: capacity in rules */
#define SC_MAX_TGIDS		65536	/* processes user space resolves itself */
#define SC_MAX_CLASSES		4096
#define SC_MAX_CPUS		256	/* class CPU masks cover CPUs 0..255 */
#define SC_CPUMASK_WORDS	4
#define SC_DEFAULT_CLASS	0	/* the task's own nice: never written by user space */
#define SC_WEIGHT_NICE0		1024	/* sched_prio_to_weight[20] */
#define SC_DEFAULT_SLICE_NS	3000000ULL	/* latency_nice 0 */
#define SC_MIN_SLICE_NS		500000ULL	/* latency_nice slices are kept within these */
#define SC_MAX_SLICE_NS		24000000ULL
#define SC_IDLE_MAX_WAIT_NS	100000000ULL	/* default bound on an idle class's wait */
#define SC_OPS_NAME		"schedcat"

/* sc_class.flags */
#define SC_CLASS_IDLE		(1U << 0)	/* sched: idle - runs when nothing else wants the CPU */
#define SC_CLASS_CPUMASK	(1U << 1)	/* cpumask restricts where the class runs */
#define SC_CLASS_INHERIT_WEIGHT	(1U << 2)	/* no nice in the catalog: keep the task's own */
#define SC_CLASS_BATCH		(1U << 3)	/* sched: batch - never preempts on wakeup */

/* sc_match.flags */
#define SC_MATCH_BOOST_WITHHELD	(1U << 0)	/* comm entry of a boosting rule: its class has no boost */

/* sc_exe_match.name_flags */
#define SC_EXE_NAME_TRUNCATED	(1U << 0)	/* a 15-byte comm that is the (longer) name cut short matches */

/* FNV-1a, 64 bit: sc_exe_match.name_hash */
#define SC_FNV64_OFFSET		0xcbf29ce484222325ULL
#define SC_FNV64_PRIME		0x00000100000001b3ULL
#define SC_NAME_MAX		255	/* NAME_MAX: longest file name the kernel compares */

/* Map names (the kernel keeps 15 characters). */
#define SC_MAP_COMM		"sc_comm"
#define SC_MAP_EXE		"sc_exe"
#define SC_MAP_TGID		"sc_tgid"
#define SC_MAP_CLASSES		"sc_classes"
#define SC_MAP_CLASS_STATS	"sc_class_stats"
#define SC_MAP_CONFIG		"sc_config"
#define SC_MAP_EXIT		"sc_exit"
#define SC_MAP_COUNTERS		"sc_counters"
#define SC_STRUCT_OPS		"schedcat_ops"

struct sc_comm_key {
	char comm[SC_COMM_LEN];		/* NUL-padded, at most 15 bytes of name */
};

struct sc_exe_key {
	__u64 dev;			/* super_block.s_dev: MAJOR << 20 | MINOR */
	__u64 ino;
};

/* Value of the comm and tgid maps. */
struct sc_match {
	__u32 class_id;
	__u32 flags;
	__u64 start_ticks;		/* tgid map only: the process start time (USER_HZ ticks), 0 = any */
};

/*
 * Value of the exe map. As in user space's RuleMatcher a file earns its rule's class only for a
 * process of the rule's name: its group leader's comm, or the name of the file it runs.
 */
struct sc_exe_match {
	struct sc_match match;
	char comm[SC_COMM_LEN];		/* the rule's name as a comm: its first 15 bytes, NUL-padded */
	__u64 name_hash;		/* FNV-1a 64 of the whole name, for the file name */
	__u32 name_len;			/* bytes of the whole name */
	__u32 name_flags;
};

struct sc_class {
	__u32 weight;			/* 1024 = nice 0, from the kernel's sched_prio_to_weight */
	__u32 flags;
	__u64 slice_ns;
	__s32 nice;
	__s32 latency_nice;
	__u64 cpumask[SC_CPUMASK_WORDS];
};

/* Per-CPU, per class (index = class id). */
struct sc_class_stats {
	__u64 enqueues;
	__u64 runtime_ns;
	__u64 preempt_kicks;		/* wakeups of this class that preempted another CPU */
	__u64 idle_rescues;		/* idle-class dispatches forced by the starvation bound */
};

/* One entry, written by user space; bumping generation makes every task look up its class again. */
struct sc_config {
	__u64 generation;
	__u64 idle_max_wait_ns;		/* bounded lag of idle classes */
	__u32 nr_classes;
	__u32 pad;
};

/* Event counters (sc_counters, per CPU). schedcat's status names them in this order; a test
 * checks that its name table has SC_NR_COUNTERS entries. */
enum sc_counter {
	SC_CNT_LOOKUP,			/* class recomputed (cache miss) */
	SC_CNT_HIT_TGID,
	SC_CNT_HIT_EXE,
	SC_CNT_HIT_COMM,
	SC_CNT_HIT_LEADER_COMM,
	SC_CNT_VOUCH_DENIED,		/* a comm hit whose rule boosts: the name alone earned no boost */
	SC_CNT_KEEP_PREV,
	SC_CNT_PREEMPT_KICK,
	SC_CNT_IDLE_RESCUE,
	SC_CNT_DIRECT_IDLE,
	SC_CNT_STARVE_RESCUE,		/* a task runnable for ~1 s was run out of deadline order */
	SC_CNT_WAKE_QUEUED,		/* a wakeup that may preempt found no idle CPU and no victim: it waits */
	SC_CNT_WAKE_OWN_CPU_UNKNOWN,	/* ...its own CPU showed nothing of ours running (cur_deadline 0) */
	SC_CNT_WAKE_OWN_CPU_EARLIER,	/* ...its own CPU ran a deadline not later than the waker's */
	SC_NR_COUNTERS,
};

#define SC_EXIT_REASON_LEN	128
#define SC_EXIT_MSG_LEN		1024

struct sc_exit_info {
	__s32 kind;			/* enum scx_exit_kind; 0 while running */
	__s32 pad;
	__s64 exit_code;
	char reason[SC_EXIT_REASON_LEN];
	char msg[SC_EXIT_MSG_LEN];
};

#endif /* SCX_CATALOG_H */
