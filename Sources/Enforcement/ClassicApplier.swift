// SPDX-License-Identifier: Apache-2.0
import Catalog
import Compile
import LinuxSystem
import ProcFS
#if canImport(Glibc)
import Glibc
#endif

/// The classic backend, as ananicy does it: for each process a rule matches, set nice, policy,
/// IO priority and CPU affinity on every thread and oom_score_adj on the process. Kernel threads,
/// realtime threads and unmatched processes are left alone, and so are PID 1 and schedcat's own
/// processes whatever rule matches them.
public final class ClassicApplier {
    struct Applied {
        var start: UInt64
        var decision: ClassicDecision
        /// What this process's threads were set to, for children that inherit it.
        var nice: Int?
        var policy: Int?
        var ioprio: Int?
        /// The main thread's settings before schedcat first changed them, to take a favour back.
        var before: ThreadKnobs
    }

    public let procfs: ProcFS
    public let dryRun: Bool
    public private(set) var policy: ClassicPolicy
    private let selfPID = getpid()
    /// The executable file this schedcat runs: a process running the same file (device and
    /// inode, whatever it calls itself) is schedcat too.
    private let selfExe = FileIdentity.of("/proc/self/exe")
    private var applied: [Int32: Applied] = [:]
    private var warnedLatencyNice = false
    private var notedProtected = false
    private let say: (String) -> Void

    /// `say`: one-off notes for the log (PID 1 or schedcat left alone).
    public init(policy: ClassicPolicy, procfs: ProcFS = ProcFS(), dryRun: Bool = false, say: @escaping (String) -> Void = { _ in }) {
        self.policy = policy
        self.procfs = procfs
        self.dryRun = dryRun
        self.say = say
    }

    /// A new catalog; every process is judged again at the next pass. What schedcat set stays
    /// remembered, so it may still take it back.
    public func replacePolicy(_ policy: ClassicPolicy) {
        self.policy = policy
    }

    /// One pass over every process.
    public func applyAll() -> [ClassicChange] {
        let pids = procfs.pids()
        let live = Set(pids)
        applied = applied.filter { live.contains($0.key) }
        return pids.flatMap { apply(pid: $0) }
    }

    /// Judges one process (after an exec, a rename, or in a pass).
    public func apply(pid: Int32) -> [ClassicChange] {
        guard pid != selfPID, let (facts, stat) = procfs.facts(pid) else { return [] }
        if SchedPolicyNumber.isRealtime(stat.policy) { return [] }
        guard let decision = policy.decide(facts) else {
            // it exec'd or renamed itself out of its rule: a favour schedcat gave it goes, or the
            // boost would follow whatever code it runs now
            let changes = takeBackFavours(pid, stat, comm: facts.comm)
            applied[pid] = nil
            return changes
        }
        if untouchable(pid) {
            if !notedProtected {
                notedProtected = true
                say("note: pid \(pid) (\(facts.comm.escapedForTerminal)) matches rule \(decision.description.escapedForTerminal) " +
                    "but is left alone: schedcat never changes PID 1 or its own processes (those running this schedcat " +
                    "executable file); said once, for all of them")
            }
            applied[pid] = nil
            return []
        }
        // a dry run changes nothing, so it would report the same changes on every pass: once is enough
        if dryRun, let known = applied[pid], known.start == stat.startTime, known.decision == decision {
            return []
        }
        var changes: [ClassicChange] = []
        let rule = decision.description
        let note = { (setting: String, from: String, to: String, tid: Int32?, error: String?) in
            changes.append(ClassicChange(pid: pid, tid: tid, comm: facts.comm, setting: setting, from: from, to: to,
                                         rule: rule, error: error))
        }
        let parent = parentSettings(stat)
        let ruleNice = decision.values.nice
        let rulePolicy = decision.values.sched.map(ThreadKnobs.policyNumber)
        let ruleIOPrio = ThreadKnobs.ioprio(decision.values.ioclass, decision.values.ionice)
        // a name alone may demote, never favour: else a process that renames itself could undo a
        // demotion the kernel refused to undo for it (nice 19 -> 0). What schedcat set itself, on
        // the process or on the parent it inherited from, it may always take back.
        let mayFavour = decision.identityVouched
        let own = applied[pid].flatMap { $0.start == stat.startTime ? $0 : nil }
        if decision.values.latencyNice != nil && !warnedLatencyNice {
            warnedLatencyNice = true
            note("latency_nice", "-", "\(decision.values.latencyNice!)", nil,
                 "mainline Linux has no latency_nice; it takes effect only under the sched_ext scheduler")
        }
        var changedThreads: [String: (from: String, to: String, count: Int, error: String?)] = [:]
        var mainBefore: ThreadKnobs?
        for tid in procfs.threadIDs(pid) {
            guard let current = ThreadKnobs.read(tid: tid), !SchedPolicyNumber.isRealtime(current.policy) else { continue }
            if tid == pid { mainBefore = current }
            // A launcher's idle policy, nice and IO class must not leak into a program it starts
            // that this rule matches: for keys the rule leaves unset, undo what the thread
            // inherited from a parent schedcat changed.
            /// The rule's value, or the current one where the rule would favour the thread and
            /// neither an identity nor schedcat's own earlier change allows that.
            func bounded(_ want: Int, _ current: Int, own: Int?, parent: Int?, rank: (Int) -> Int) -> Int {
                mayFavour || own == current || parent == current || rank(want) >= rank(current) ? want : current
            }
            let wantNice = ruleNice.map { bounded($0, current.nice, own: own?.nice, parent: parent.nice, rank: Favour.nice) }
                ?? parent.nice.flatMap { $0 != 0 && current.nice == $0 ? 0 : nil }
            let wantPolicy = rulePolicy.map { bounded($0, current.policy, own: own?.policy, parent: parent.policy, rank: Favour.policy) }
                ?? parent.policy.flatMap { $0 != SchedPolicyNumber.other && current.policy == $0 ? SchedPolicyNumber.other : nil }
            let wantIOPrio = ruleIOPrio.map { bounded($0, current.ioprio, own: own?.ioprio, parent: parent.ioprio, rank: Favour.ioprio) }
                ?? parent.ioprio.flatMap { $0 != 0 && current.ioprio == $0 ? 0 : nil }
            func change(_ setting: String, _ from: String, _ to: String, _ write: () throws(SystemError) -> Void) {
                let error = KnobWriter.outcome(dryRun: dryRun, write)
                let previous = changedThreads[setting]
                changedThreads[setting] = (previous?.from ?? from, to, (previous?.count ?? 0) + 1, previous?.error ?? error)
            }
            if let policy = wantPolicy, policy != current.policy {
                change("sched", SchedPolicyNumber.name(current.policy), SchedPolicyNumber.name(policy)) { () throws(SystemError) in try KnobWriter.setPolicy(tid, policy) }
            }
            if let nice = wantNice, nice != current.nice {
                change("nice", "\(current.nice)", "\(nice)") { () throws(SystemError) in try KnobWriter.setNice(tid, nice) }
            }
            if let ioprio = wantIOPrio, ioprio != current.ioprio {
                change("io", describeIOPrio(current.ioprio), describeIOPrio(ioprio)) { () throws(SystemError) in try KnobWriter.setIOPrio(tid, ioprio) }
            }
            if let cpus = decision.cpus, !cpus.isEmpty, cpus != current.cpus {
                change("cpus", CPUList.text(current.cpus), CPUList.text(cpus)) { () throws(SystemError) in try KnobWriter.setAffinity(tid, cpus) }
            }
        }
        for (setting, summary) in changedThreads.sorted(by: { $0.key < $1.key }) {
            let suffix = summary.count > 1 ? " (\(summary.count) threads)" : ""
            note(setting, summary.from, summary.to + suffix, nil, summary.error)
        }
        if let oom = decision.values.oomScoreAdj, let current = procfs.oomScoreAdj(pid), current != oom {
            note("oom_score_adj", "\(current)", "\(oom)", nil,
                 KnobWriter.outcome(dryRun: dryRun) { () throws(SystemError) in try KnobWriter.setOOMScoreAdj(pid, oom, procRoot: procfs.root) })
        }
        let before = own?.before ?? mainBefore ?? ThreadKnobs(nice: 0, policy: SchedPolicyNumber.other, ioprio: 0, cpus: [])
        applied[pid] = Applied(start: stat.startTime, decision: decision, nice: ruleNice, policy: rulePolicy, ioprio: ruleIOPrio,
                               before: before)
        return changes
    }

    /// Sets back, on every thread, what schedcat set on this process (or on the parent it
    /// inherited from) where that favoured it over what it had before.
    private func takeBackFavours(_ pid: Int32, _ stat: ProcStat, comm: String) -> [ClassicChange] {
        let own = applied[pid].flatMap { $0.start == stat.startTime ? $0 : nil }
        guard let source = own ?? applied[stat.ppid].flatMap({ procfs.stat(stat.ppid)?.startTime == $0.start ? $0 : nil })
        else { return [] }
        var changes: [ClassicChange] = []
        for tid in procfs.threadIDs(pid) {
            guard let current = ThreadKnobs.read(tid: tid), !SchedPolicyNumber.isRealtime(current.policy) else { continue }
            var undo: [(String, String, String, () throws(SystemError) -> Void)] = []
            if let set = source.nice, current.nice == set, Favour.nice(set) < Favour.nice(source.before.nice) {
                undo.append(("nice", "\(set)", "\(source.before.nice)", { () throws(SystemError) in try KnobWriter.setNice(tid, source.before.nice) }))
            }
            if let set = source.policy, current.policy == set, Favour.policy(set) < Favour.policy(source.before.policy) {
                undo.append(("sched", SchedPolicyNumber.name(set), SchedPolicyNumber.name(source.before.policy),
                             { () throws(SystemError) in try KnobWriter.setPolicy(tid, source.before.policy) }))
            }
            if let set = source.ioprio, current.ioprio == set, Favour.ioprio(set) < Favour.ioprio(source.before.ioprio) {
                undo.append(("io", describeIOPrio(set), describeIOPrio(source.before.ioprio),
                             { () throws(SystemError) in try KnobWriter.setIOPrio(tid, source.before.ioprio) }))
            }
            for (setting, from, to, write) in undo {
                changes.append(ClassicChange(pid: pid, tid: tid, comm: comm, setting: setting, from: from, to: to,
                                             rule: "no rule now (taken back)", error: KnobWriter.outcome(dryRun: dryRun, write)))
            }
        }
        return changes
    }

    /// Whether `pid` is never changed: PID 1 (init: demoting it slows the whole
    /// system), or a process running schedcat's own executable file (a second `apply`, the
    /// daemon, a profile run), identified by the file's device and inode, not by its name.
    private func untouchable(_ pid: Int32) -> Bool {
        if pid == 1 { return true }
        guard let selfExe, let exe = procfs.exeIdentity(pid) else { return false }
        return exe.isSameFile(as: selfExe)
    }

    /// What schedcat set on the process's parent, if it still runs.
    private func parentSettings(_ stat: ProcStat) -> (nice: Int?, policy: Int?, ioprio: Int?) {
        guard let parent = applied[stat.ppid], procfs.stat(stat.ppid)?.startTime == parent.start else { return (nil, nil, nil) }
        return (parent.nice, parent.policy, parent.ioprio)
    }
}

/// How much a setting favours a thread: larger is less favoured.
enum Favour {
    static func nice(_ nice: Int) -> Int { nice }

    static func policy(_ policy: Int) -> Int {
        switch policy {
        case SchedPolicyNumber.idle: 2
        case SchedPolicyNumber.batch: 1
        default: 0
        }
    }

    /// ioprio as class << 13 | level: realtime best, idle worst, "none" as best-effort level 4.
    static func ioprio(_ ioprio: Int) -> Int {
        let ioClass = ioprio >> 13, level = ioprio & 7
        switch ioClass {
        case 1: return level
        case 3: return 100
        case 0: return 10 + 4
        default: return 10 + level
        }
    }
}
