// SPDX-License-Identifier: Apache-2.0
import Catalog
import Compile
import Enforcement
import Foundation
import LinuxSystem
import ProcFS

/// What one audit found, and what it cost.
public struct AuditReport: Sendable, Codable {
    public var catalog: String
    public var at: Date
    public var windowSeconds: Double
    /// "classic" (nice and policy are checked against the rules) or "scheduler" (sched_ext decides; not checked).
    public var backend: String
    public var processesScanned: Int
    /// Processes a rule matches plus the children that inherited a launcher rule's settings.
    public var processesSampled: Int
    public var findings: [Finding]
    /// Under schedcat's sched_ext scheduler: its per-type counters over the window.
    public var schedulerTypes: [SchedulerTypeDelta]?
    /// Every sampled process with its numbers, the judged and the unremarkable alike.
    public var observed: [Observed]
    /// The audit's own CPU time (user + system) without the wait: finding the processes, reading
    /// them twice, judging.
    public var cpuMs: Double
    /// `cpuMs` per sampled process.
    public var cpuMsPerProcess: Double
    /// Of `cpuMs`: finding the processes (reading every process's stat, and the names of those
    /// the rules might match), which grows with the machine's processes, not the catalog's.
    public var discoveryCpuMs: Double
    /// The rest (the two reads and the judging) per sampled process: the cost of watching one.
    public var samplingCpuMsPerProcess: Double

    enum CodingKeys: String, CodingKey {
        case catalog, at, windowSeconds = "window_s", backend, processesScanned = "processes_scanned"
        case processesSampled = "processes_sampled", findings, schedulerTypes = "scheduler_types", observed, cpuMs = "cpu_ms", cpuMsPerProcess = "cpu_ms_per_process"
        case discoveryCpuMs = "discovery_cpu_ms", samplingCpuMsPerProcess = "sampling_cpu_ms_per_process"
    }
}

/// One sampled process: the rule that matched it (or its launcher's), and how it behaved.
public struct Observed: Sendable, Codable, Hashable {
    public var pid: Int32
    public var comm: String
    public var rule: String
    /// true: the rule is a launcher's, the process inherited from it.
    public var inherited: Bool
    public var behaviour: Behaviour
}

/// Checks a catalog against how the processes it matches really behave: two reads of the
/// kernel's accounting a window apart, judged against the rules that matched.
public final class Auditor {
    /// The first read of a window, taken by `begin`.
    public struct Window: Sendable {
        let started: Date
        let startedNs: UInt64
        let scanned: Int
        let matches: [Int32: RuleMatch]
        /// Unmatched process -> the nearest ancestor a rule matches.
        let launchers: [Int32: Int32]
        let first: [Int32: ProcessSchedSample]
        let pressure: CPUPressure?
        let scheduler: SchedulerStatusReport?
        let discoveryCpuNs: UInt64
        let cpuNs: UInt64
    }

    /// The type a proposal moves a wrong rule to: nice 0, takes a demotion or a boost away
    /// without guessing a new one (an audit never proposes a boost: it has no identity to vouch).
    public static let neutralType = "IN_DIFF"

    public let catalog: Catalog
    public let file: String
    public let procfs: ProcFS
    private let matcher: RuleMatcher
    private let names: Set<String>
    private let truncatedNames: Set<String>
    private let selfPID = getpid()
    let selfExe = FileIdentity.of("/proc/self/exe")

    public init(catalog: Catalog, file: String, procfs: ProcFS = ProcFS()) {
        self.catalog = catalog
        self.file = file
        self.procfs = procfs
        matcher = RuleMatcher(catalog)
        names = Set(catalog.rules.map(\.name))
        truncatedNames = Set(catalog.rules.map { CommKey($0.name).description })
    }

    /// Waits `window` between the two reads (a suspension, no CPU).
    public func run(window: Duration, history: AuditHistory? = nil) async -> AuditReport {
        let started = begin()
        try? await Task.sleep(for: window)
        return finish(started, history: history)
    }

    /// Finds the processes the rules match (and their launched children) and reads them once.
    public func begin() -> Window {
        let cpu = ThreadCPU.now()
        var stats: [Int32: ProcStat] = [:]
        var matches: [Int32: RuleMatch] = [:]
        for pid in procfs.pids() where pid != selfPID {
            guard let stat = procfs.stat(pid), !stat.isKernelThread else { continue }
            stats[pid] = stat
            // as the classic backend matches: a rejected rule matches too, and then nothing applies
            guard mayMatch(pid, stat), let (facts, _) = procfs.facts(pid),
                  let match = matcher.match(facts, statuses: [.accepted, .rejected]), match.rule.status == .accepted else { continue }
            matches[pid] = match
        }
        var launchers: [Int32: Int32] = [:]
        // only a demoting rule has anything to leak
        for (pid, stat) in stats where matches[pid] == nil {
            var parent = stat.ppid
            for _ in 0..<AuditThresholds.maxLauncherDepth {
                if let launcher = matches[parent] {
                    guard demotes(launcher.values) else { break }
                    launchers[pid] = parent
                    break
                }
                guard let next = stats[parent]?.ppid, next > 0 else { break }
                parent = next
            }
        }
        let discovered = ThreadCPU.now()
        var first: [Int32: ProcessSchedSample] = [:]
        for pid in Array(matches.keys) + Array(launchers.keys) {
            first[pid] = procfs.schedSample(pid)
        }
        let now = Date()
        return Window(started: now, startedNs: monotonicNs(), scanned: stats.count, matches: matches, launchers: launchers,
                      first: first, pressure: procfs.cpuPressure(), scheduler: Self.schedulerCounters(),
                      discoveryCpuNs: discovered - cpu, cpuNs: ThreadCPU.now() - cpu)
    }

    /// Reads the same processes again and judges the differences.
    public func finish(_ window: Window, history: AuditHistory? = nil) -> AuditReport {
        let cpu = ThreadCPU.now()
        let seconds = max(Double(monotonicNs() - window.startedNs) / 1e9, 0.001)
        var behaviours: [Int32: Behaviour] = [:]
        for (pid, before) in window.first {
            guard let after = procfs.schedSample(pid), let delta = after.delta(since: before) else { continue }
            behaviours[pid] = Behaviour(delta, windowSeconds: seconds)
        }
        var pressureMs: Double?
        if let before = window.pressure, let after = procfs.cpuPressure() {
            pressureMs = Double(after.someTotalMicroseconds &- min(before.someTotalMicroseconds, after.someTotalMicroseconds)) / 1000
        }
        let scheduler = SchedExtSysfs().state == "enabled"
        var findings: [Finding] = []
        var notInForce: [Int: [(Int32, String)]] = [:]
        for (pid, match) in window.matches.sorted(by: { $0.key < $1.key }) {
            guard let behaviour = behaviours[pid] else { continue }
            let comm = window.first[pid]?.comm ?? "?"
            if let finding = judge(match, pid: pid, comm: comm, behaviour, others: othersWaitingMs(pid, behaviours, pressureMs)) {
                findings.append(finding)
            }
            if !scheduler, let why = notInForceReason(match, pid: pid, behaviour) {
                notInForce[match.ruleIndex, default: []].append((pid, why))
            }
        }
        for (pid, launcherPID) in window.launchers.sorted(by: { $0.key < $1.key }) {
            guard let behaviour = behaviours[pid], let launcher = window.matches[launcherPID] else { continue }
            if let finding = leaked(pid: pid, comm: window.first[pid]?.comm ?? "?", behaviour, launcher: launcher,
                                    launcherPID: launcherPID) {
                findings.append(finding)
            }
        }
        for (index, processes) in notInForce.sorted(by: { $0.key < $1.key }) {
            let rule = catalog.rules[index]
            var finding = Finding(kind: .ineffective, rule: rule, file: file,
                                  detail: "values not in force on \(processes.count) process(es): " +
                                      processes.prefix(5).map { "pid \($0.0) \($0.1)" }.joined(separator: "; ") +
                                      " (something else reset them, or nothing applies the catalog)")
            finding.pids = processes.map(\.0)
            findings.append(finding)
        }
        if let history {
            findings += history.idleRules(catalog, now: window.started).map { rule, last in
                Finding(kind: .idleRule, rule: rule, file: file,
                        detail: "matched no process " + (last.map { "since \(AuditHistory.day($0))" } ?? "in any daemon tick since \(AuditHistory.day(history.since))") +
                            " (more than \(AuditThresholds.idleRuleDays) days); listed, not removed")
            }
        }
        var observed: [Observed] = []
        for (pid, behaviour) in behaviours.sorted(by: { $0.key < $1.key }) {
            let own = window.matches[pid]
            guard let match = own ?? window.launchers[pid].flatMap({ window.matches[$0] }) else { continue }
            observed.append(Observed(pid: pid, comm: window.first[pid]?.comm ?? "?", rule: match.rule.name,
                                     inherited: own == nil, behaviour: behaviour))
        }
        var schedulerTypes: [SchedulerTypeDelta]?
        if let before = window.scheduler, let after = Self.schedulerCounters(), before.generation == after.generation {
            schedulerTypes = SchedulerTypeDelta.between(before, after, seconds: seconds)
        }
        let sampled = window.first.count
        let cpuMs = Double(window.cpuNs + (ThreadCPU.now() - cpu)) / 1e6
        let discoveryMs = Double(window.discoveryCpuNs) / 1e6
        return AuditReport(catalog: file, at: window.started, windowSeconds: seconds, backend: scheduler ? "scheduler" : "classic",
                           processesScanned: window.scanned, processesSampled: sampled, findings: findings, schedulerTypes: schedulerTypes, observed: observed,
                           cpuMs: cpuMs, cpuMsPerProcess: cpuMs / Double(max(sampled, 1)), discoveryCpuMs: discoveryMs,
                           samplingCpuMsPerProcess: (cpuMs - discoveryMs) / Double(max(sampled, 1)))
    }

    /// The identities of the rules that matched a process in this window, for the idle-rule history.
    public func matchedRules(_ window: Window) -> Set<String> {
        Set(window.matches.values.map { $0.rule.identity.description })
    }

    /// The attached scheduler's per-type counters, or nil when schedcat's scheduler is not attached.
    private static func schedulerCounters() -> SchedulerStatusReport? {
        guard SchedExtSysfs().state == "enabled" else { return nil }
        let report = SchedulerStatusReport.read()
        return report.attached && !report.types.isEmpty ? report : nil
    }

    /// How long some task waited for a CPU in the window: PSI, else the other sampled processes' waits.
    private func othersWaitingMs(_ pid: Int32, _ behaviours: [Int32: Behaviour], _ pressureMs: Double?) -> Double {
        if let pressureMs { return pressureMs }
        return behaviours.filter { $0.key != pid }.values.reduce(0) { $0 + $1.waitMs }
    }

    func demotes(_ values: SchedValues) -> Bool {
        (values.nice ?? 0) > 0 || values.sched == .idle || values.sched == .batch
    }

    func describe(_ values: SchedValues) -> String {
        values.keyValues.filter { ["nice", "sched"].contains($0.key) }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }

    private func mayMatch(_ pid: Int32, _ stat: ProcStat) -> Bool {
        if names.contains(stat.comm) || truncatedNames.contains(stat.comm) { return true }
        if let argv0 = procfs.cmdline(pid)?.first, names.contains(ProcessIdentity.basename(argv0)) { return true }
        if let exe = procfs.exe(pid), names.contains(ProcessIdentity.basename(exe)) { return true }
        return false
    }

    func isSchedcat(_ pid: Int32) -> Bool {
        guard let selfExe, let exe = procfs.exeIdentity(pid) else { return false }
        return exe.isSameFile(as: selfExe)
    }

    private func monotonicNs() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }
}
