// SPDX-License-Identifier: Apache-2.0
import ProcFS
import LinuxSystem

/// One read of /proc: what was known about every process at that moment.
public struct ProcessTable: Sendable {
    /// Seconds since boot (CLOCK_BOOTTIME, the clock of stat's start time) when the read began.
    public var uptime: Double
    /// By pid.
    var samples: [Int32: ProcessSample]

    public var count: Int { samples.count }
    public var pids: [Int32] { samples.keys.sorted() }

    init(uptime: Double, samples: [Int32: ProcessSample]) {
        self.uptime = uptime
        self.samples = samples
    }
}

/// Context switch counters of one thread.
struct SwitchCounts: Sendable, Hashable {
    var voluntary: UInt64
    var involuntary: UInt64
}

/// What one read learned about one process. Only `stat` is read for processes that are not
/// reported (kernel threads unless asked for, schedcat itself): they still name parents.
struct ProcessSample: Sendable {
    var pid: Int32
    var stat: ProcStat
    var status: ProcStatus?
    /// tid -> counters, for every thread whose status could be read.
    var threadSwitches: [Int32: SwitchCounts] = [:]
    var io: (readBytes: UInt64, writeBytes: UInt64)?
    var cmdline: [String]?
    var exe: String?
    var exeIdentity: FileIdentity?
    var cgroup: String?
    /// Read only in the second pass of a snapshot (see `Sampler.read(signals:)`).
    var signals: ProcessSignals?

    init(pid: Int32, stat: ProcStat) {
        self.pid = pid
        self.stat = stat
    }

    /// Reads everything about `pid`; fields that cannot be read stay nil.
    static func read(_ pid: Int32, stat: ProcStat, from procfs: ProcFS) -> ProcessSample {
        var sample = ProcessSample(pid: pid, stat: stat)
        sample.status = procfs.processStatus(pid)
        if let status = sample.status {
            sample.threadSwitches[pid] = SwitchCounts(voluntary: status.voluntarySwitches, involuntary: status.involuntarySwitches)
        }
        // The process's status holds the leader thread's counters; other threads have their own.
        if stat.threads > 1 {
            for tid in procfs.threadIDs(pid) where tid != pid {
                if let status = procfs.processStatus(pid, tid: tid) {
                    sample.threadSwitches[tid] = SwitchCounts(voluntary: status.voluntarySwitches, involuntary: status.involuntarySwitches)
                }
            }
        }
        sample.io = procfs.io(pid)
        sample.cmdline = procfs.cmdline(pid)
        sample.exe = procfs.exe(pid)
        sample.exeIdentity = sample.exe == nil ? nil : procfs.exeIdentity(pid)
        sample.cgroup = procfs.cgroup(pid)
        return sample
    }

    var totalSwitches: SwitchCounts? {
        guard !threadSwitches.isEmpty else { return nil }
        return threadSwitches.values.reduce(SwitchCounts(voluntary: 0, involuntary: 0)) {
            SwitchCounts(voluntary: $0.voluntary + $1.voluntary, involuntary: $0.involuntary + $1.involuntary)
        }
    }
}
