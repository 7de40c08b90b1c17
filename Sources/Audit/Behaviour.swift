// SPDX-License-Identifier: Apache-2.0
import ProcFS

/// How one process behaved over the window: the numbers every finding quotes.
public struct Behaviour: Sendable, Codable, Hashable {
    public var windowSeconds: Double
    public var runMs: Double
    public var waitMs: Double
    public var timeslices: UInt64
    public var voluntarySwitches: UInt64
    public var involuntarySwitches: UInt64
    /// Share of one CPU, 0...threads.
    public var cpuShare: Double
    public var averageRunMs: Double
    public var voluntaryShare: Double
    public var waitToRun: Double
    /// Share of the window spent running or waiting to run.
    public var runnableShare: Double
    /// Timeslices per second of the time it was neither running nor held on a run queue.
    public var wakeupsPerSecond: Double
    public var nice: Int
    public var policy: String
    public var threads: Int
    /// Waiting for (or on) a CPU at the end of the window.
    public var runnableAtEnd: Bool

    enum CodingKeys: String, CodingKey {
        case windowSeconds = "window_s", runMs = "run_ms", waitMs = "wait_ms", timeslices
        case voluntarySwitches = "voluntary_switches", involuntarySwitches = "involuntary_switches"
        case cpuShare = "cpu_share", averageRunMs = "avg_run_ms", voluntaryShare = "voluntary_share"
        case waitToRun = "wait_to_run", runnableShare = "runnable_share", wakeupsPerSecond = "wakeups_per_s", nice, policy, threads, runnableAtEnd = "runnable_at_end"
    }

    public init(_ delta: ProcessSchedSample, windowSeconds: Double) {
        self.windowSeconds = windowSeconds
        runMs = Double(delta.runNs) / 1e6
        waitMs = Double(delta.waitNs) / 1e6
        timeslices = delta.timeslices
        voluntarySwitches = delta.voluntarySwitches
        involuntarySwitches = delta.involuntarySwitches
        cpuShare = Double(delta.runNs) / (windowSeconds * 1e9)
        averageRunMs = runMs / Double(max(delta.timeslices, 1))
        voluntaryShare = Double(delta.voluntarySwitches) / Double(max(delta.voluntarySwitches + delta.involuntarySwitches, 1))
        waitToRun = Double(delta.waitNs) / Double(max(delta.runNs, 1))
        runnableShare = Double(delta.runNs + delta.waitNs) / (windowSeconds * 1e9)
        // a program held on a run queue nearly all the window still woke this often when it could
        wakeupsPerSecond = Double(delta.timeslices) / max(windowSeconds * (1 - runnableShare), windowSeconds / 100)
        nice = delta.nice
        policy = SchedPolicyNumber.name(delta.policy)
        threads = delta.threads
        runnableAtEnd = delta.runnable
    }

    /// Wakes often (or is starved: few runs, and waiting for a CPU at the end of the window), runs
    /// in short bursts, mostly yields the CPU itself, uses little of it.
    public var isInteractive: Bool {
        let wakesOften = timeslices >= AuditThresholds.minTimeslices && wakeupsPerSecond >= AuditThresholds.minWakeupsPerSecond
        return (wakesOften || isStarved)
            && averageRunMs * 1e6 <= AuditThresholds.maxInteractiveBurstNs
            && voluntaryShare >= AuditThresholds.minVoluntaryShare
            && cpuShare <= AuditThresholds.maxInteractiveCPUShare
    }

    /// Waiting for a CPU now, and either ran only a few times or was held on a run queue for
    /// most of the window: too held back to show how often it would wake.
    public var isStarved: Bool {
        runnableAtEnd && timeslices > 0
            && (timeslices < AuditThresholds.minTimeslices || runnableShare >= AuditThresholds.minStarvedRunnableShare)
    }

    /// The numbers in one line, for tables and proposal reasons.
    public var summary: String {
        func f(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }
        return "cpu \(f(cpuShare * 100))%, run \(f(runMs)) ms, run-queue wait \(f(waitMs)) ms (\(f(waitToRun, 2))x run), " +
            "runnable \(f(runnableShare * 100))% of the time, \(timeslices) timeslices of \(f(averageRunMs, 2)) ms, switches \(voluntarySwitches) voluntary/\(involuntarySwitches) " +
            "involuntary, nice \(nice) \(policy)\(isStarved ? ", waiting for a CPU at the end" : ""), over \(f(windowSeconds)) s"
    }
}
