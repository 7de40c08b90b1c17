// SPDX-License-Identifier: Apache-2.0
import Catalog
import Foundation

/// The findings one process's numbers lead to.
extension Auditor {
    /// Nerfed or hog, for a process its own rule matches.
    func judge(_ match: RuleMatch, pid: Int32, comm: String, _ behaviour: Behaviour, others: Double) -> Finding? {
        let values = match.values
        let proposal = match.rule.source == .human || catalog.types[Self.neutralType] == nil ? nil : Self.neutralType
        if demotes(values), behaviour.isInteractive, behaviour.waitToRun >= AuditThresholds.minNerfedWaitToRun {
            var finding = Finding(kind: .nerfed, rule: match.rule, file: file,
                                  detail: "demoted by \(describe(values)) but interactive, and waits \(String(format: "%.1f", behaviour.waitToRun))x " +
                                      "as long on the run queue as it runs: \(behaviour.summary)")
            finding.pid = pid
            finding.comm = comm
            finding.behaviour = behaviour
            finding.proposedType = proposal
            return finding
        }
        let othersShare = others / (behaviour.windowSeconds * 1000)
        if (values.nice ?? 0) < 0, behaviour.runnableShare >= AuditThresholds.minHogRunnableShare,
           othersShare >= AuditThresholds.minOthersWaitingShare {
            var finding = Finding(kind: .hog, rule: match.rule, file: file,
                                  detail: "boosted by \(describe(values)) and wanted a CPU \(String(format: "%.0f", behaviour.runnableShare * 100))% of the window " +
                                      "while tasks waited for a CPU \(String(format: "%.0f", othersShare * 100))% of the window: \(behaviour.summary)")
            finding.pid = pid
            finding.comm = comm
            finding.behaviour = behaviour
            finding.proposedType = proposal
            return finding
        }
        return nil
    }

    /// A child no rule matches that carries its launcher rule's demotion and behaves interactively.
    func leaked(pid: Int32, comm: String, _ behaviour: Behaviour, launcher: RuleMatch, launcherPID: Int32) -> Finding? {
        let values = launcher.values
        let inheritedNice = values.nice.map { $0 > 0 && behaviour.nice == $0 } ?? false
        let inheritedPolicy = values.sched.map { $0 != .normal && behaviour.policy == $0.kernelName } ?? false
        guard inheritedNice || inheritedPolicy, behaviour.isInteractive else { return nil }
        var finding = Finding(kind: .leaked, rule: launcher.rule, file: file,
                              detail: "matches no rule, runs with \(inheritedNice ? "nice \(behaviour.nice)" : behaviour.policy) inherited from " +
                                  "launcher pid \(launcherPID) (rule \(launcher.rule.name)) and is interactive: \(behaviour.summary)")
        finding.pid = pid
        finding.comm = comm
        finding.behaviour = behaviour
        finding.proposedType = catalog.types[Self.neutralType] == nil ? nil : Self.neutralType
        return finding
    }

    /// Why the rule's nice or policy is not what the process runs with; nil when it is (or when
    /// the classic backend would leave it alone: PID 1, schedcat itself, realtime, a favour a
    /// name alone may not earn).
    func notInForceReason(_ match: RuleMatch, pid: Int32, _ behaviour: Behaviour) -> String? {
        guard pid != 1, !isSchedcat(pid), !["fifo", "rr", "deadline"].contains(behaviour.policy) else { return nil }
        var wrong: [String] = []
        if let nice = match.values.nice, nice != behaviour.nice, match.identityVouched || nice > behaviour.nice {
            wrong.append("nice \(behaviour.nice), rule says \(nice)")
        }
        if let sched = match.values.sched, sched.kernelName != behaviour.policy,
           match.identityVouched || sched.rank > SchedPolicy.rank(of: behaviour.policy) {
            wrong.append("policy \(behaviour.policy), rule says \(sched.kernelName)")
        }
        return wrong.isEmpty ? nil : wrong.joined(separator: ", ")
    }
}

extension SchedPolicy {
    /// The policy's name as /proc reports it (`SchedPolicyNumber.name`).
    var kernelName: String {
        switch self {
        case .normal: "other"
        case .batch: "batch"
        case .idle: "idle"
        }
    }

    /// Larger is less favoured.
    var rank: Int { Self.rank(of: kernelName) }

    static func rank(of kernelName: String) -> Int {
        switch kernelName {
        case "idle": 2
        case "batch": 1
        default: 0
        }
    }
}

/// CPU time of the calling thread (user + system), in nanoseconds: the audit's own cost, not
/// that of other threads of the process (the daemon enforces on another). The thread's
/// sum_exec_runtime, as getrusage(RUSAGE_THREAD) reports it, but to the nanosecond: getrusage
/// splits it into user and system time by ticks, and adjusts small deltas away.
enum ThreadCPU {
    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}
