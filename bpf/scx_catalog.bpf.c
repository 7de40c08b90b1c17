// SPDX-License-Identifier: GPL-2.0-only
/*
 * scx_catalog: schedcat's sched_ext scheduler (kernels >= 6.13).
 *
 * In-kernel policy is a table lookup in maps that user space compiles from the catalog;
 * nothing here knows about rules, types or models.
 *
 * Class of a task, cached in task storage and recomputed only when the catalog generation
 * changes, the task execs or is renamed (or its group leader is renamed):
 *   tgid pin -> exe (dev, inode) pin -> thread comm -> group leader comm -> class 0 (own nice).
 * An exe entry counts only for a process of its rule's name (leader comm or the file's name),
 * as in user space: the file is the identity, the name says which rule it is for.
 * A name alone never earns a boost: a boosting rule's comm entry carries its boost-free class,
 * and the boost itself sits in the exe map under the (device, inode) of the system's own files
 * of that name, which user space looked up (root-owned, in root-owned system directories, no
 * interpreter). Vouching is thus decided once, in user space, for both enforcers alike.
 *
 * Policy: weighted virtual time. A task's vtime advances by runtime * 1024 / weight; queues
 * are ordered by an EEVDF-like deadline, vtime + slice * 1024 / weight, so negative
 * latency_nice (short slice) runs earlier. A task that finds an idle CPU it may use goes straight
 * to that CPU. A waking task goes straight to the head of the local queue of a CPU that runs an
 * idle-class task, or a later deadline of a less favoured class (smaller weight or longer slice),
 * or a later deadline whose slice is used up (SCX_ENQ_PREEMPT); tasks of one class do not cut
 * each other's slices short. Idle classes sit in their own queues, served only when no other
 * task wants the CPU, except that none waits longer than sc_config.idle_max_wait_ns; no task
 * of any class stays runnable much longer than a second (STARVE_*).
 * Tasks whose class has a CPU mask, or that may run on one CPU only, wait in that CPU's queue.
 *
 * Dispatch queues: SHARED (+ SHARED_IDLE) for everything else, PCPU(cpu) (+ PCPU_IDLE(cpu)).
 */
#define BPF_NO_KFUNC_PROTOTYPES
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "scx_catalog.h"

char LICENSE[] SEC("license") = "GPL";

/* kfuncs, 6.13+ names. __weak: the maps-only host test loads this object on kernels
 * without sched_ext, where they do not resolve (no program is loaded there). */
extern s32 scx_bpf_create_dsq(u64 dsq_id, s32 node) __ksym __weak;
extern s32 scx_bpf_select_cpu_dfl(struct task_struct *p, s32 prev_cpu, u64 wake_flags,
				  bool *is_idle) __ksym __weak;
extern void scx_bpf_dsq_insert(struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags) __ksym __weak;
extern void scx_bpf_dsq_insert_vtime(struct task_struct *p, u64 dsq_id, u64 slice, u64 vtime,
				     u64 enq_flags) __ksym __weak;
extern bool scx_bpf_dsq_move_to_local(u64 dsq_id) __ksym __weak;
extern s32 scx_bpf_dsq_nr_queued(u64 dsq_id) __ksym __weak;
extern void scx_bpf_kick_cpu(s32 cpu, u64 flags) __ksym __weak;
extern s32 scx_bpf_pick_idle_cpu(const struct cpumask *cpus_allowed, u64 flags) __ksym __weak;
extern bool scx_bpf_test_and_clear_cpu_idle(s32 cpu) __ksym __weak;
extern u32 scx_bpf_nr_cpu_ids(void) __ksym __weak;
extern s32 scx_bpf_task_cpu(const struct task_struct *p) __ksym __weak;
extern int bpf_iter_scx_dsq_new(struct bpf_iter_scx_dsq *it, u64 dsq_id, u64 flags) __ksym __weak;
extern struct task_struct *bpf_iter_scx_dsq_next(struct bpf_iter_scx_dsq *it) __ksym __weak;
extern struct task_struct *scx_bpf_dsq_peek(u64 dsq_id) __ksym __weak;	/* 6.19+ */
extern void bpf_iter_scx_dsq_destroy(struct bpf_iter_scx_dsq *it) __ksym __weak;
extern u32 bpf_cpumask_first(const struct cpumask *cpumask) __ksym __weak;
extern bool bpf_cpumask_test_cpu(u32 cpu, const struct cpumask *cpumask) __ksym __weak;
extern bool bpf_cpumask_empty(const struct cpumask *cpumask) __ksym __weak;
extern const struct cpumask *scx_bpf_get_idle_cpumask(void) __ksym __weak;
extern void scx_bpf_put_idle_cpumask(const struct cpumask *cpumask) __ksym __weak;
extern bool scx_bpf_dsq_move(struct bpf_iter_scx_dsq *it, struct task_struct *p, u64 dsq_id,
			     u64 enq_flags) __ksym __weak;

#define PF_KTHREAD		0x00200000
#define NSEC_PER_USER_TICK	10000000ULL	/* USER_HZ = 100: /proc/PID/stat start time unit */
#define KTHREAD_SLICE_NS	5000000ULL
#define WATCHDOG_MS		10000	/* never reached: see STARVE_* and idle_max_wait_ns */
/*
 * Starvation guard. Deadlines order the queues, so a task of a tiny weight (a nice 19 kernel
 * thread: deadline 100 slices out) behind hundreds of runnable nice-0 tasks (hackbench) could
 * wait longer than the kernel's watchdog allows. Every STARVE_CHECK_NS one CPU looks at the last
 * STARVE_SCAN tasks of its queues (the latest deadlines) and runs one that has been runnable for
 * STARVE_MAX_WAIT_JIFFIES. Weights are exact until a wait would exceed that bound.
 */
#define STARVE_CHECK_NS		20000000ULL
#define STARVE_MAX_WAIT_JIFFIES	250	/* 1 s at HZ=250, 0.25 s at HZ=1000 */
#define STARVE_SCAN		8

/*
 * Compile-time settings for benchmark variants (scripts/build-bpf -D, bench/run --scx-variant).
 * SC_SLEEPER_CREDIT_NS: a waking task comes back at most this far (vtime) behind vtime_now, or
 * its own slice behind if that is longer. SC_DEMOTED_SHORT_SLICE: a class lighter than nice 0
 * gets its slice scaled by its weight (at least SC_MIN_SLICE_NS). SC_FAVOURED_FIRST: a task of
 * a larger weight than the one it competes with (the running task, for a wakeup; the queue's
 * head, for a running task whose slice is used up) gets the CPU whatever the deadlines, as long
 * as it has not run ahead of the system's virtual clock (vtime <= vtime_now).
 * SC_LIGHTER_WAKER_WAITS: a waking task never preempts a running task of a larger weight (not
 * even once that one's slice is used up: a short latency_nice slice then exposes it to every
 * nice-0 wakeup).
 */
#ifndef SC_SLEEPER_CREDIT_NS
#define SC_SLEEPER_CREDIT_NS	0ULL
#endif
#ifndef SC_DEMOTED_SHORT_SLICE
#define SC_DEMOTED_SHORT_SLICE	0
#endif
#ifndef SC_FAVOURED_FIRST
#define SC_FAVOURED_FIRST	0
#endif
#ifndef SC_LIGHTER_WAKER_WAITS
#define SC_LIGHTER_WAKER_WAITS	0
#endif

#define DSQ_SHARED		0x100000ULL
#define DSQ_SHARED_IDLE		0x100001ULL
#define DSQ_PCPU(cpu)		(0x200000ULL + (u64)(cpu))
#define DSQ_PCPU_IDLE(cpu)	(0x300000ULL + (u64)(cpu))

/* ---------------------------------------------------------------- maps */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SC_MAX_RULES);
	__type(key, struct sc_comm_key);
	__type(value, struct sc_match);
} sc_comm SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SC_MAX_RULES);
	__type(key, struct sc_exe_key);
	__type(value, struct sc_exe_match);
} sc_exe SEC(".maps");

/* Scratch space for the name of a task's executable (too large for the stack). */
struct name_buf {
	char bytes[SC_NAME_MAX + 1];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct name_buf);
} sc_name_buf SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SC_MAX_TGIDS);
	__type(key, u32);
	__type(value, struct sc_match);
} sc_tgid SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SC_MAX_CLASSES);
	__type(key, u32);
	__type(value, struct sc_class);
} sc_classes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SC_MAX_CLASSES);
	__type(key, u32);
	__type(value, struct sc_class_stats);
} sc_class_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct sc_config);
} sc_config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct sc_exit_info);
} sc_exit SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SC_NR_COUNTERS);
	__type(key, u32);
	__type(value, u64);
} sc_counters SEC(".maps");

/* What runs on each CPU, for wakeup preemption. */
struct cpu_state {
	u64 cur_deadline;	/* 0: nothing of ours worth preempting */
	u64 cur_started;	/* start of the running task's current slice */
	u32 cur_idle_class;
	u32 rescue_pending;	/* the next idle-class task to run here was rescued */
	u32 cur_weight;
	u32 cur_slice_ns;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SC_MAX_CPUS);
	__type(key, u32);
	__type(value, struct cpu_state);
} sc_cpu SEC(".maps");

struct task_ctx {
	u64 vtime;		/* virtual runtime, ns * 1024 / weight */
	u64 charged_at;		/* runtime is charged up to here while running; 0 when not running */
	u64 run_start;		/* start of the current slice window */
	u64 deadline;		/* queue key of the last enqueue */
	u64 slice_ns;
	u64 generation;		/* sc_config.generation the class was resolved for */
	u32 epoch;		/* leader_rename_epoch it was resolved for */
	u32 class_id;
	u32 class_flags;
	u32 weight;		/* 0: the task's own (p->scx.weight) */
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_ctx);
} sc_task SEC(".maps");

u64 vtime_now;			/* largest vtime of a task that started running */
u64 idle_served_at;		/* last time an idle-class task ran */
u64 idle_waiting_since;		/* idle queues went from empty to non-empty */
u64 starve_checked_at;		/* last starvation check (STARVE_CHECK_NS) */
u32 leader_rename_epoch;	/* a group leader renamed: its threads look up again */

/* ---------------------------------------------------------------- helpers */

static __always_inline void count(u32 idx)
{
	u64 *v = bpf_map_lookup_elem(&sc_counters, &idx);

	if (v)
		(*v)++;
}

static __always_inline struct sc_class_stats *class_stats(u32 class_id)
{
	return bpf_map_lookup_elem(&sc_class_stats, &class_id);
}

static __always_inline struct sc_config *current_config(void)
{
	u32 zero = 0;

	return bpf_map_lookup_elem(&sc_config, &zero);
}

/* CPUs that have per-CPU state, queues and mask bits: 0 .. SC_MAX_CPUS - 1. */
static __always_inline bool cpu_in_range(s32 cpu)
{
	return cpu >= 0 && cpu < SC_MAX_CPUS;
}

static __always_inline bool before(u64 a, u64 b)
{
	return (s64)(a - b) < 0;
}

static __always_inline bool is_percpu_kthread(const struct task_struct *p)
{
	return (p->flags & PF_KTHREAD) && p->nr_cpus_allowed == 1;
}

static __always_inline u32 task_weight(const struct task_struct *p, const struct task_ctx *tctx)
{
	u32 w;

	if (tctx->weight)
		return tctx->weight;
	w = p->scx.weight * SC_WEIGHT_NICE0 / 100;	/* p->scx.weight: 100 = nice 0 */
	return w ? w : 1;
}

static __always_inline u64 deadline_of(u64 vtime, u64 slice, u32 weight)
{
	return vtime + slice * SC_WEIGHT_NICE0 / weight;
}

/* Not ahead of the system's virtual clock: a favoured task may then go first (SC_FAVOURED_FIRST). */
static __always_inline bool may_go_first(const struct task_ctx *tctx)
{
	return SC_FAVOURED_FIRST && !before(vtime_now, tctx->vtime);
}

#include "scx_catalog_classify.h"

/* The task's context with an up-to-date class: the common path is the storage lookup. */
static struct task_ctx *task_ctx(struct task_struct *p)
{
	struct task_ctx *tctx = bpf_task_storage_get(&sc_task, p, 0, 0);
	struct sc_config *cfg = current_config();
	struct sc_class *cls;
	u64 generation = cfg ? cfg->generation : 0;
	u32 id;

	if (!tctx)
		return NULL;
	if (tctx->generation == generation && tctx->epoch == leader_rename_epoch)
		return tctx;
	id = resolve_class(p);
	cls = bpf_map_lookup_elem(&sc_classes, &id);
	if (!cls || (id != SC_DEFAULT_CLASS && cls->weight == 0 && !(cls->flags & SC_CLASS_INHERIT_WEIGHT))) {
		id = SC_DEFAULT_CLASS;	/* an id user space has not written (yet) */
		cls = bpf_map_lookup_elem(&sc_classes, &id);
	}
	tctx->class_id = id;
	tctx->generation = generation;
	tctx->epoch = leader_rename_epoch;
	if (cls && id != SC_DEFAULT_CLASS) {
		tctx->class_flags = cls->flags;
		tctx->weight = (cls->flags & SC_CLASS_INHERIT_WEIGHT) ? 0 : cls->weight;
		tctx->slice_ns = cls->slice_ns ? cls->slice_ns : SC_DEFAULT_SLICE_NS;
		if (SC_DEMOTED_SHORT_SLICE && tctx->weight && tctx->weight < SC_WEIGHT_NICE0) {
			tctx->slice_ns = tctx->slice_ns * tctx->weight / SC_WEIGHT_NICE0;
			if (tctx->slice_ns < SC_MIN_SLICE_NS)
				tctx->slice_ns = SC_MIN_SLICE_NS;
		}
	} else {
		tctx->class_flags = 0;
		tctx->weight = 0;
		tctx->slice_ns = SC_DEFAULT_SLICE_NS;
	}
	return tctx;
}

/* What runs on @cpu, for wakeup preemption decisions on other CPUs. */
static __always_inline void publish_running(s32 cpu, const struct task_struct *p, const struct task_ctx *tctx)
{
	struct cpu_state *cs;
	u32 key = cpu;

	if (!cpu_in_range(cpu))
		return;
	cs = bpf_map_lookup_elem(&sc_cpu, &key);
	if (cs) {
		cs->cur_deadline = tctx->deadline;
		cs->cur_idle_class = tctx->class_flags & SC_CLASS_IDLE ? 1 : 0;
		cs->cur_weight = task_weight(p, tctx);
		cs->cur_slice_ns = tctx->slice_ns;
		cs->cur_started = tctx->run_start;
	}
}

/* Charge the runtime since the last charge to vtime and to the class counters. */
static __always_inline void charge(struct task_struct *p, struct task_ctx *tctx, u64 now)
{
	struct sc_class_stats *st;
	u64 delta;

	if (!tctx->charged_at || before(now, tctx->charged_at))
		return;
	delta = now - tctx->charged_at;
	tctx->charged_at = now;
	tctx->vtime += delta * SC_WEIGHT_NICE0 / task_weight(p, tctx);
	st = class_stats(tctx->class_id);
	if (st)
		st->runtime_ns += delta;
}

static __always_inline bool cpu_allowed(const struct task_struct *p, s32 cpu)
{
	if (!cpu_in_range(cpu))
		return false;
	return bpf_cpumask_test_cpu(cpu, p->cpus_ptr);	/* no probe_read helper call */
}

static __always_inline bool in_class_mask(const struct sc_class *cls, s32 cpu)
{
	if (!cpu_in_range(cpu))
		return false;
	return cls->cpumask[(cpu >> 6) & 3] & (1ULL << (cpu & 63));
}

/*
 * A CPU in (class mask & task's allowed CPUs): the hint, an idle one, or the first. With
 * @claimed, an idle CPU found is claimed (its idle bit cleared) and *claimed says so.
 */
static s32 pick_class_cpu(struct task_struct *p, const struct task_ctx *tctx, s32 hint, bool *claimed)
{
	struct sc_class *cls;
	u32 id = tctx->class_id, nr = scx_bpf_nr_cpu_ids();
	s32 cpu, first = -1;

	cls = bpf_map_lookup_elem(&sc_classes, &id);
	if (!cls)
		return -1;
	if (in_class_mask(cls, hint) && cpu_allowed(p, hint))
		return hint;
	if (nr > SC_MAX_CPUS)
		nr = SC_MAX_CPUS;
	bpf_for(cpu, 0, nr) {
		if (!in_class_mask(cls, cpu) || !cpu_allowed(p, cpu))
			continue;
		if (first < 0)
			first = cpu;
		if (claimed && scx_bpf_test_and_clear_cpu_idle(cpu)) {
			*claimed = true;
			return cpu;
		}
	}
	return first;
}

/* Running where its class may not run (its class changed while it ran): move it. */
static bool outside_class_mask(struct task_struct *p, const struct task_ctx *tctx, s32 cpu)
{
	struct sc_class *cls;
	u32 id = tctx->class_id;

	if (!(tctx->class_flags & SC_CLASS_CPUMASK))
		return false;
	cls = bpf_map_lookup_elem(&sc_classes, &id);
	return cls && !in_class_mask(cls, cpu) && pick_class_cpu(p, tctx, -1, NULL) >= 0;
}

static __always_inline bool has_idle_class(const struct task_ctx *tctx)
{
	return tctx->class_flags & SC_CLASS_IDLE;
}

/*
 * Where the task waits, and which CPU that queue belongs to (-1: shared); *claimed: that CPU
 * was idle and is now claimed for the task.
 */
static u64 pick_dsq(struct task_struct *p, const struct task_ctx *tctx, s32 *target, bool *claimed)
{
	bool idle = has_idle_class(tctx);
	s32 cpu = scx_bpf_task_cpu(p);

	*target = -1;
	if (p->nr_cpus_allowed == 1) {
		/* set_cpus_allowed enqueues before it migrates: the task may not be on its CPU yet */
		if (!cpu_allowed(p, cpu))
			cpu = bpf_cpumask_first(p->cpus_ptr);
		if (cpu_in_range(cpu)) {
			*target = cpu;
			return idle ? DSQ_PCPU_IDLE(cpu) : DSQ_PCPU(cpu);
		}
	} else if (tctx->class_flags & SC_CLASS_CPUMASK) {
		cpu = pick_class_cpu(p, tctx, cpu, claimed);
		if (cpu >= 0) {
			*target = cpu;
			return idle ? DSQ_PCPU_IDLE(cpu) : DSQ_PCPU(cpu);
		}
	}
	return idle ? DSQ_SHARED_IDLE : DSQ_SHARED;
}

/* Sleepers come back at most one slice (or SC_SLEEPER_CREDIT_NS) behind the running tasks. */
static __always_inline void place_vtime(struct task_struct *p, struct task_ctx *tctx)
{
	u64 credit = tctx->slice_ns > SC_SLEEPER_CREDIT_NS ? tctx->slice_ns : SC_SLEEPER_CREDIT_NS;
	u64 floor = vtime_now - credit;

	if (before(tctx->vtime, floor))
		tctx->vtime = floor;
	tctx->deadline = deadline_of(tctx->vtime, tctx->slice_ns, task_weight(p, tctx));
}

static __always_inline struct cpu_state *cpu_state(s32 cpu)
{
	u32 key = cpu;

	if (!cpu_in_range(cpu))
		return NULL;
	return bpf_map_lookup_elem(&sc_cpu, &key);
}

/*
 * May a waking task (deadline, weight, slice) take the CPU from what runs there? Always from an
 * idle class. From anything else only with an earlier deadline, and then at once when the
 * waker's class is favoured over the running one (a larger weight or a shorter slice), else
 * only once the running task has used up its slice (as EEVDF's run-to-parity does, the wakeup
 * is a scheduling point, not a reason to cut a slice short): preempting an equal at every
 * wakeup turns message passing (hackbench) into a context switch per message.
 */
static __always_inline bool preempts(const struct cpu_state *cs, u64 deadline, u32 weight, u64 slice, u64 now,
				     bool first)
{
	if (cs->cur_idle_class)
		return true;
	if (first && cs->cur_deadline && weight > cs->cur_weight)
		return true;
	if (SC_LIGHTER_WAKER_WAITS && weight < cs->cur_weight)
		return false;
	if (!cs->cur_deadline || !before(deadline, cs->cur_deadline))
		return false;
	if (weight > cs->cur_weight || slice < cs->cur_slice_ns)
		return true;
	return now - cs->cur_started >= cs->cur_slice_ns;
}

static __always_inline bool worth_preempting(s32 cpu, u64 deadline, u32 weight, u64 slice, u64 now, bool first)
{
	struct cpu_state *cs = cpu_state(cpu);

	return cs && preempts(cs, deadline, weight, slice, now, first);
}

/*
 * A CPU worth preempting for a waking task: one running an idle class, else the one with the
 * latest deadline the task may preempt. The task's own CPU and this CPU first (no IPI, warm
 * cache), then others.
 */
static s32 preempt_victim(struct task_struct *p, const struct task_ctx *tctx, s32 target)
{
	u32 nr = scx_bpf_nr_cpu_ids(), weight = task_weight(p, tctx);
	s32 cpu, best = -1, here = bpf_get_smp_processor_id();
	u64 deadline = tctx->deadline, slice = tctx->slice_ns, best_deadline = deadline;
	u64 now = bpf_ktime_get_ns();
	bool first = may_go_first(tctx);
	struct cpu_state *cs;

	if (target >= 0)
		return worth_preempting(target, deadline, weight, slice, now, first) ? target : -1;
	cpu = scx_bpf_task_cpu(p);
	if (cpu_allowed(p, cpu) && worth_preempting(cpu, deadline, weight, slice, now, first))
		return cpu;
	if (here != cpu && cpu_allowed(p, here) && worth_preempting(here, deadline, weight, slice, now, first))
		return here;
	if (nr > 64)
		nr = 64;	/* bounded work per wakeup */
	bpf_for(cpu, 0, nr) {
		if (!cpu_allowed(p, cpu))
			continue;
		cs = cpu_state(cpu);
		if (!cs || !preempts(cs, deadline, weight, slice, now, first))
			continue;
		if (cs->cur_idle_class)
			return cpu;
		if (before(best_deadline, cs->cur_deadline)) {
			best = cpu;
			best_deadline = cs->cur_deadline;
		}
	}
	return best;
}

/* A wakeup that waits in a queue: why its own CPU was no victim, for `schedcat scheduler status`. */
static __always_inline void count_queued_wakeup(struct task_struct *p, const struct task_ctx *tctx)
{
	struct cpu_state *cs = cpu_state(scx_bpf_task_cpu(p));

	count(SC_CNT_WAKE_QUEUED);
	if (!cs)
		return;
	if (!cs->cur_deadline && !cs->cur_idle_class)
		count(SC_CNT_WAKE_OWN_CPU_UNKNOWN);
	else if (!cs->cur_idle_class && !before(tctx->deadline, cs->cur_deadline))
		count(SC_CNT_WAKE_OWN_CPU_EARLIER);
}

/* Is any CPU idle? Much cheaper than a search that finds none (the common case under load). */
static __always_inline bool any_cpu_idle(void)
{
	const struct cpumask *idle = scx_bpf_get_idle_cpumask();
	bool any = !bpf_cpumask_empty(idle);

	scx_bpf_put_idle_cpumask(idle);
	return any;
}

/* Claims an idle CPU the task may use (the task is then dispatched straight to it), or -1. */
static s32 claim_idle_cpu(struct task_struct *p, s32 target)
{
	if (target >= 0)
		return scx_bpf_test_and_clear_cpu_idle(target) ? target : -1;
	if (!any_cpu_idle())
		return -1;
	return scx_bpf_pick_idle_cpu(p->cpus_ptr, 0);
}

/*
 * Wakeup preemption: a waking task that is neither idle class nor batch goes straight to the
 * head of a victim CPU's local queue and preempts what runs there.
 */
static bool preempt_for(struct task_struct *p, struct task_ctx *tctx, s32 target, u64 enq_flags)
{
	struct sc_class_stats *st;
	s32 cpu;

	if (!(enq_flags & SCX_ENQ_WAKEUP) || has_idle_class(tctx) || (tctx->class_flags & SC_CLASS_BATCH))
		return false;
	cpu = preempt_victim(p, tctx, target);
	if (cpu < 0) {
		count_queued_wakeup(p, tctx);
		return false;
	}
	scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL_ON | (u64)cpu, tctx->slice_ns, enq_flags | SCX_ENQ_PREEMPT);
	count(SC_CNT_PREEMPT_KICK);
	st = class_stats(tctx->class_id);
	if (st)
		st->preempt_kicks++;
	return true;
}

static __always_inline bool idle_queues_empty(s32 cpu)
{
	return scx_bpf_dsq_nr_queued(DSQ_SHARED_IDLE) <= 0 &&
	       (cpu < 0 || scx_bpf_dsq_nr_queued(DSQ_PCPU_IDLE(cpu)) <= 0);
}

/* ---------------------------------------------------------------- sched_ext ops */

SEC("struct_ops/sc_select_cpu")
s32 BPF_PROG(sc_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	struct task_ctx *tctx = task_ctx(p);
	struct sc_class_stats *st;
	bool is_idle = false;
	s32 cpu;

	if (tctx && (tctx->class_flags & SC_CLASS_CPUMASK)) {
		cpu = pick_class_cpu(p, tctx, prev_cpu, NULL);
		if (cpu >= 0)
			return cpu;	/* enqueue puts it in that CPU's queue */
	}
	if (!any_cpu_idle())
		return prev_cpu;	/* what the search would say, without the search; enqueue decides */
	cpu = scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &is_idle);
	if (is_idle && tctx) {
		place_vtime(p, tctx);
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, tctx->slice_ns, 0);
		count(SC_CNT_DIRECT_IDLE);
		st = class_stats(tctx->class_id);
		if (st)
			st->enqueues++;
	}
	return cpu;
}

SEC("struct_ops/sc_enqueue")
void BPF_PROG(sc_enqueue, struct task_struct *p, u64 enq_flags)
{
	struct sc_class_stats *st;
	struct task_ctx *tctx;
	s32 target, idle_cpu;
	bool claimed = false;
	u64 dsq;

	if (is_percpu_kthread(p)) {
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, KTHREAD_SLICE_NS, enq_flags);
		return;
	}
	tctx = task_ctx(p);
	if (!tctx) {
		scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, SC_DEFAULT_SLICE_NS, enq_flags);
		return;
	}
	st = class_stats(tctx->class_id);
	if (st)
		st->enqueues++;
	place_vtime(p, tctx);
	dsq = pick_dsq(p, tctx, &target, &claimed);
	/* an idle CPU it may use (pinned and class-masked tasks included: select_cpu is not
	 * called for a task allowed on one CPU): straight to that CPU, no queue, no second pass */
	idle_cpu = claimed ? target : claim_idle_cpu(p, target);
	if (idle_cpu >= 0) {
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL_ON | (u64)idle_cpu, tctx->slice_ns, enq_flags);
		count(SC_CNT_DIRECT_IDLE);
		return;
	}
	if (preempt_for(p, tctx, target, enq_flags))
		return;
	if (has_idle_class(tctx) && idle_queues_empty(target))
		idle_waiting_since = bpf_ktime_get_ns();
	scx_bpf_dsq_insert_vtime(p, dsq, tctx->slice_ns, tctx->deadline, enq_flags);
}

/* A queued task's weight (nice 0's when it has no context). */
static __always_inline u32 queued_weight(struct task_struct *p)
{
	struct task_ctx *tctx = bpf_task_storage_get(&sc_task, p, 0, 0);

	return tctx ? task_weight(p, tctx) : SC_WEIGHT_NICE0;
}

/* Deadline and weight of the first task in a queue; false when it is empty. */
static __noinline bool head_deadline(u64 dsq, u64 *deadline, u32 *weight)
{
	struct bpf_iter_scx_dsq it;
	struct task_struct *head;
	bool found = false;

	if (scx_bpf_dsq_nr_queued(dsq) <= 0)
		return false;	/* the common case, without setting up an iterator */
	if (bpf_ksym_exists(scx_bpf_dsq_peek)) {
		head = scx_bpf_dsq_peek(dsq);
		if (!head)
			return false;
		*deadline = head->scx.dsq_vtime;
		*weight = SC_FAVOURED_FIRST ? queued_weight(head) : SC_WEIGHT_NICE0;
		return true;
	}
	bpf_iter_scx_dsq_new(&it, dsq, 0);
	head = bpf_iter_scx_dsq_next(&it);
	if (head) {
		*deadline = head->scx.dsq_vtime;
		*weight = SC_FAVOURED_FIRST ? queued_weight(head) : SC_WEIGHT_NICE0;
		found = true;
	}
	bpf_iter_scx_dsq_destroy(&it);
	return found;
}

/* Move the head with the earlier deadline of two queues (then the other) to this CPU. */
/* Move a task that waited too long in @dsq (looked for from the tail) to this CPU. */
static __noinline bool rescue_starved(u64 dsq, s32 cpu, u64 jiffies_now)
{
	struct bpf_iter_scx_dsq it;
	struct task_struct *p;
	bool moved = false;
	int seen = 0;

	bpf_iter_scx_dsq_new(&it, dsq, SCX_DSQ_ITER_REV);
	while ((p = bpf_iter_scx_dsq_next(&it)) && seen++ < STARVE_SCAN) {
		if (jiffies_now - p->scx.runnable_at < STARVE_MAX_WAIT_JIFFIES || !cpu_allowed(p, cpu))
			continue;
		if (scx_bpf_dsq_move(&it, p, SCX_DSQ_LOCAL, 0)) {
			moved = true;
			break;
		}
	}
	bpf_iter_scx_dsq_destroy(&it);
	return moved;
}

static bool rescue_any_starved(s32 cpu, u64 now)
{
	u64 j = bpf_jiffies64();

	if (now - starve_checked_at < STARVE_CHECK_NS)
		return false;
	starve_checked_at = now;
	if (rescue_starved(DSQ_SHARED, cpu, j) || rescue_starved(DSQ_PCPU(cpu), cpu, j) ||
	    rescue_starved(DSQ_SHARED_IDLE, cpu, j) || rescue_starved(DSQ_PCPU_IDLE(cpu), cpu, j)) {
		count(SC_CNT_STARVE_RESCUE);
		return true;
	}
	return false;
}

/* The heads of a pair of queues (this CPU's and the shared one) and their deadlines. */
struct queue_heads {
	u64 pcpu_dl;
	u64 shared_dl;
	u32 pcpu_weight;
	u32 shared_weight;
	bool have_pcpu;
	bool have_shared;
};

static __always_inline void peek_heads(struct queue_heads *q, u64 pcpu, u64 shared)
{
	q->pcpu_dl = 0;
	q->shared_dl = 0;
	q->pcpu_weight = 0;
	q->shared_weight = 0;
	q->have_pcpu = head_deadline(pcpu, &q->pcpu_dl, &q->pcpu_weight);
	q->have_shared = head_deadline(shared, &q->shared_dl, &q->shared_weight);
}

static __always_inline bool any_waiting(const struct queue_heads *q)
{
	return q->have_pcpu || q->have_shared;
}

static __always_inline u64 earliest_deadline(const struct queue_heads *q)
{
	u64 best = q->have_shared ? q->shared_dl : q->pcpu_dl;

	if (q->have_pcpu && before(q->pcpu_dl, best))
		best = q->pcpu_dl;
	return best;
}

/* The weight of the head earliest_deadline() names. */
static __always_inline u32 earliest_weight(const struct queue_heads *q)
{
	if (q->have_pcpu && (!q->have_shared || before(q->pcpu_dl, q->shared_dl)))
		return q->pcpu_weight;
	return q->shared_weight;
}

/* Moves the earlier of the two heads to this CPU (the other if that one is gone meanwhile). */
static bool take_earliest(const struct queue_heads *q, u64 pcpu, u64 shared)
{
	if (q->have_pcpu && (!q->have_shared || !before(q->shared_dl, q->pcpu_dl))) {
		if (scx_bpf_dsq_move_to_local(pcpu))
			return true;
		return q->have_shared && scx_bpf_dsq_move_to_local(shared);
	}
	if (q->have_shared && scx_bpf_dsq_move_to_local(shared))
		return true;
	return q->have_pcpu && scx_bpf_dsq_move_to_local(pcpu);
}

/* Step 1, bounded lag: an idle class that waited longer than @max_wait gets one slice now. */
static __always_inline bool serve_overdue_idle(s32 cpu, const struct queue_heads *idle, u64 now, u64 max_wait)
{
	u64 since = idle_served_at;
	struct cpu_state *cs;

	if (before(since, idle_waiting_since))
		since = idle_waiting_since;
	if (!any_waiting(idle) || now - since <= max_wait ||
	    !take_earliest(idle, DSQ_PCPU_IDLE(cpu), DSQ_SHARED_IDLE))
		return false;
	idle_served_at = now;
	count(SC_CNT_IDLE_RESCUE);
	cs = cpu_state(cpu);
	if (cs)
		cs->rescue_pending = 1;
	return true;
}

/* Step 3: may @prev (slice used up, still queued) go on? Its deadline and class if so, and its
 * weight if it may go first (SC_FAVOURED_FIRST), else 0. */
static __always_inline bool prev_may_continue(struct task_struct *prev, s32 cpu, u64 now, u64 *prev_dl, bool *prev_idle,
					      u32 *first_weight)
{
	struct task_ctx *tctx;

	if (!prev || !(prev->scx.flags & SCX_TASK_QUEUED) || is_percpu_kthread(prev))
		return false;
	tctx = task_ctx(prev);
	if (!tctx || outside_class_mask(prev, tctx, cpu))
		return false;
	charge(prev, tctx, now);
	*prev_dl = deadline_of(tctx->vtime, tctx->slice_ns, task_weight(prev, tctx));
	*prev_idle = has_idle_class(tctx);
	*first_weight = may_go_first(tctx) ? task_weight(prev, tctx) : 0;
	return true;
}

/* Dispatch nothing: the kernel keeps @prev running with a new slice. */
static __always_inline void keep_running(struct task_struct *prev, s32 cpu, u64 now, u64 prev_dl)
{
	struct task_ctx *tctx = bpf_task_storage_get(&sc_task, prev, 0, 0);

	if (tctx) {
		tctx->run_start = now;
		tctx->deadline = prev_dl;
		publish_running(cpu, prev, tctx);
	}
	count(SC_CNT_KEEP_PREV);
}

/*
 * Runs while @prev (slice used up) is still on the CPU and NOT yet re-enqueued: moving the
 * queue head regardless would make two hogs on one CPU alternate whatever their weights. So
 * when @prev's current deadline is not later than the best waiting one, dispatch nothing and
 * the kernel keeps @prev running with a new slice.
 *
 * Steps: (1) an overdue idle class, (2) a starved task, (3) @prev against the earliest normal
 * task, (4) the earliest idle-class task, only when nothing normal wants the CPU.
 */
SEC("struct_ops/sc_dispatch")
void BPF_PROG(sc_dispatch, s32 cpu, struct task_struct *prev)
{
	struct sc_config *cfg = current_config();
	u64 max_wait = cfg && cfg->idle_max_wait_ns ? cfg->idle_max_wait_ns : SC_IDLE_MAX_WAIT_NS;
	u64 now = bpf_ktime_get_ns(), prev_dl = 0;
	struct queue_heads normal, idle;
	bool keep, prev_idle = false;
	u32 first_weight = 0;

	if (!cpu_in_range(cpu)) {
		/* no per-CPU queues past the mask width: serve the shared ones, never stall */
		if (!scx_bpf_dsq_move_to_local(DSQ_SHARED))
			scx_bpf_dsq_move_to_local(DSQ_SHARED_IDLE);
		return;
	}
	peek_heads(&idle, DSQ_PCPU_IDLE(cpu), DSQ_SHARED_IDLE);
	if (serve_overdue_idle(cpu, &idle, now, max_wait))
		return;
	if (rescue_any_starved(cpu, now))
		return;

	keep = prev_may_continue(prev, cpu, now, &prev_dl, &prev_idle, &first_weight);
	peek_heads(&normal, DSQ_PCPU(cpu), DSQ_SHARED);
	if (any_waiting(&normal)) {
		if (keep && !prev_idle &&
		    (!before(earliest_deadline(&normal), prev_dl) || first_weight > earliest_weight(&normal)))
			goto keep_prev;
		if (take_earliest(&normal, DSQ_PCPU(cpu), DSQ_SHARED))
			return;
	}
	if (keep && !prev_idle)
		goto keep_prev;

	if (!any_waiting(&idle)) {
		if (keep)
			goto keep_prev;
		return;
	}
	if (keep && !before(earliest_deadline(&idle), prev_dl))
		goto keep_prev;
	if (take_earliest(&idle, DSQ_PCPU_IDLE(cpu), DSQ_SHARED_IDLE))
		return;
	if (!keep)
		return;
keep_prev:
	keep_running(prev, cpu, now, prev_dl);
}

SEC("struct_ops/sc_tick")
void BPF_PROG(sc_tick, struct task_struct *p)
{
	struct task_ctx *tctx = task_ctx(p);
	u64 now = bpf_ktime_get_ns();
	s32 cpu = scx_bpf_task_cpu(p);
	bool others;

	if (!tctx)
		return;
	charge(p, tctx, now);
	if (!cpu_in_range(cpu))
		return;
	/* a long runner's class may have changed (rename) and its deadline moved on */
	tctx->deadline = deadline_of(tctx->vtime, tctx->slice_ns, task_weight(p, tctx));
	publish_running(cpu, p, tctx);
	if (outside_class_mask(p, tctx, cpu)) {
		scx_bpf_kick_cpu(cpu, SCX_KICK_PREEMPT);
		return;
	}
	others = scx_bpf_dsq_nr_queued(DSQ_SHARED) > 0 || scx_bpf_dsq_nr_queued(DSQ_PCPU(cpu)) > 0;
	/* an idle class yields at once; others at the end of their class slice (the kernel
	 * refills a kept task's slice with its own default) */
	if (others && (has_idle_class(tctx) || now - tctx->run_start >= tctx->slice_ns))
		scx_bpf_kick_cpu(cpu, SCX_KICK_PREEMPT);
}

SEC("struct_ops/sc_running")
void BPF_PROG(sc_running, struct task_struct *p)
{
	struct task_ctx *tctx = bpf_task_storage_get(&sc_task, p, 0, 0);
	u64 now = bpf_ktime_get_ns();
	struct sc_class_stats *st;
	struct cpu_state *cs;
	s32 cpu;

	if (!tctx)
		return;
	tctx->charged_at = now;
	tctx->run_start = now;
	if (has_idle_class(tctx))
		idle_served_at = now;
	else if (before(vtime_now, tctx->vtime))
		vtime_now = tctx->vtime;
	cpu = scx_bpf_task_cpu(p);
	cs = cpu_state(cpu);
	if (cs && cs->rescue_pending && has_idle_class(tctx)) {
		cs->rescue_pending = 0;
		st = class_stats(tctx->class_id);
		if (st)
			st->idle_rescues++;
	}
	publish_running(cpu, p, tctx);
}

SEC("struct_ops/sc_stopping")
void BPF_PROG(sc_stopping, struct task_struct *p, bool runnable)
{
	struct task_ctx *tctx = bpf_task_storage_get(&sc_task, p, 0, 0);
	struct cpu_state *cs;

	if (!tctx)
		return;
	charge(p, tctx, bpf_ktime_get_ns());
	tctx->charged_at = 0;
	cs = cpu_state(scx_bpf_task_cpu(p));
	if (cs) {
		cs->cur_deadline = 0;
		cs->cur_idle_class = 0;
	}
}

SEC("struct_ops/sc_init_task")
s32 BPF_PROG(sc_init_task, struct task_struct *p, struct scx_init_task_args *args)
{
	struct task_ctx *tctx = bpf_task_storage_get(&sc_task, p, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);

	if (!tctx)
		return -12;	/* -ENOMEM */
	tctx->generation = ~0ULL;
	tctx->vtime = vtime_now;
	return 0;
}

SEC("struct_ops.s/sc_init")
s32 BPF_PROG(sc_init)
{
	u32 nr = scx_bpf_nr_cpu_ids();
	s32 cpu, err;

	err = scx_bpf_create_dsq(DSQ_SHARED, -1);
	if (!err)
		err = scx_bpf_create_dsq(DSQ_SHARED_IDLE, -1);
	if (nr > SC_MAX_CPUS)
		nr = SC_MAX_CPUS;
	bpf_for(cpu, 0, nr) {
		if (err)
			break;
		err = scx_bpf_create_dsq(DSQ_PCPU(cpu), -1);
		if (!err)
			err = scx_bpf_create_dsq(DSQ_PCPU_IDLE(cpu), -1);
	}
	return err;
}

SEC("struct_ops/sc_exit_op")
void BPF_PROG(sc_exit_op, struct scx_exit_info *ei)
{
	u32 zero = 0;
	struct sc_exit_info *e = bpf_map_lookup_elem(&sc_exit, &zero);

	if (!e)
		return;
	e->exit_code = ei->exit_code;
	bpf_probe_read_kernel_str(e->reason, sizeof(e->reason), ei->reason);
	bpf_probe_read_kernel_str(e->msg, sizeof(e->msg), ei->msg);
	e->kind = ei->kind;	/* last: user space polls it */
}

/* exec changes comm and exe: look the class up again */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(sc_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct task_ctx *tctx = bpf_task_storage_get(&sc_task, p, 0, 0);

	if (tctx)
		tctx->generation = ~0ULL;
	return 0;
}

/* prctl(PR_SET_NAME) or a write to /proc/PID/comm; a leader's rename also concerns its threads */
SEC("tp_btf/task_rename")
int BPF_PROG(sc_rename, struct task_struct *task, const char *comm)
{
	struct task_ctx *tctx = bpf_task_storage_get(&sc_task, task, 0, 0);

	if (tctx)
		tctx->generation = ~0ULL;
	if (task->pid == task->tgid)
		__sync_fetch_and_add(&leader_rename_epoch, 1);
	return 0;
}

SEC(".struct_ops.link")
struct sched_ext_ops schedcat_ops = {
	.select_cpu	= (void *)sc_select_cpu,
	.enqueue	= (void *)sc_enqueue,
	.dispatch	= (void *)sc_dispatch,
	.tick		= (void *)sc_tick,
	.running	= (void *)sc_running,
	.stopping	= (void *)sc_stopping,
	.init_task	= (void *)sc_init_task,
	.init		= (void *)sc_init,
	.exit		= (void *)sc_exit_op,
	.timeout_ms	= WATCHDOG_MS,
	.name		= SC_OPS_NAME,
};
