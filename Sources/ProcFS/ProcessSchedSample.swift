// SPDX-License-Identifier: Apache-2.0
/// One process's scheduling accounting at one moment, summed over its threads: what two reads a
/// window apart turn into run time, run-queue wait, timeslices and context switches.
public struct ProcessSchedSample: Sendable, Hashable {
    public var pid: Int32
    /// With the pid, identifies the process across the two reads.
    public var startTime: UInt64
    public var ppid: Int32
    public var comm: String
    public var runNs: UInt64 = 0
    public var waitNs: UInt64 = 0
    public var timeslices: UInt64 = 0
    public var voluntarySwitches: UInt64 = 0
    public var involuntarySwitches: UInt64 = 0
    public var threads = 0
    /// The main thread's nice and policy, as in force now.
    public var nice: Int
    public var policy: Int
    /// The main thread was running or waiting on a run queue at the read ("R"). schedstat adds
    /// a wait only when it ends, so a thread starved right now shows it only here.
    public var runnable: Bool

    /// The change from `earlier` to `self`; nil when they are not the same process.
    public func delta(since earlier: ProcessSchedSample) -> ProcessSchedSample? {
        guard earlier.pid == pid, earlier.startTime == startTime else { return nil }
        var out = self
        // a thread that exited between the reads takes its counts with it: never below zero
        out.runNs = runNs &- min(earlier.runNs, runNs)
        out.waitNs = waitNs &- min(earlier.waitNs, waitNs)
        out.timeslices = timeslices &- min(earlier.timeslices, timeslices)
        out.voluntarySwitches = voluntarySwitches &- min(earlier.voluntarySwitches, voluntarySwitches)
        out.involuntarySwitches = involuntarySwitches &- min(earlier.involuntarySwitches, involuntarySwitches)
        return out
    }
}

extension ProcFS {
    /// Reads schedstat and the context switch counts of every thread of `pid`, and the policy
    /// and nice of its main thread; nil when the process is gone or unreadable.
    public func schedSample(_ pid: Int32) -> ProcessSchedSample? {
        guard let stat = stat(pid) else { return nil }
        var sample = ProcessSchedSample(pid: pid, startTime: stat.startTime, ppid: stat.ppid, comm: stat.comm,
                                        nice: stat.nice, policy: stat.policy, runnable: stat.state == "R")
        for tid in FileReader.numericEntries("\(root)/\(pid)/task") {
            guard let sched = schedStat(pid, tid), let status = processStatus(pid, tid: tid) else { continue }
            sample.runNs += sched.runNs
            sample.waitNs += sched.waitNs
            sample.timeslices += sched.timeslices
            sample.voluntarySwitches += status.voluntarySwitches
            sample.involuntarySwitches += status.involuntarySwitches
            sample.threads += 1
        }
        return sample.threads > 0 ? sample : nil
    }
}
