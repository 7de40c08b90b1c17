// SPDX-License-Identifier: Apache-2.0
import Foundation
import ProcFS
import LinuxSystem

/// What a snapshot reports. schedcat never classifies itself: its own process and every other
/// process running the same executable file (another `schedcat` instance) are left out.
public struct SnapshotOptions: Sendable {
    /// Kernel threads are flagged and left out unless asked for (they are never classified).
    public var includeKernelThreads: Bool
    /// A process never reported: this one.
    public var selfPID: Int32?
    /// Processes running this file (same device and inode) are never reported: schedcat's own binary.
    public var selfExecutable: FileIdentity?
    /// The same by path, for a process whose exe link can be read but no longer stat'ed (it is exiting).
    public var selfExecutablePath: String?
    /// Where a process's package and its summary are looked up (nil: not at all). It costs a pass
    /// over dpkg's file lists, and only the snapshot people read (`schedcat profile`) carries it.
    public var packages: PackageDatabase?

    public init(includeKernelThreads: Bool = false, selfPID: Int32? = getpid(),
                selfExecutable: FileIdentity? = FileIdentity.of("/proc/self/exe"),
                selfExecutablePath: String? = ProcFS().exe(getpid()), packages: PackageDatabase? = nil) {
        self.includeKernelThreads = includeKernelThreads
        self.packages = packages
        self.selfPID = selfPID
        self.selfExecutable = selfExecutable
        self.selfExecutablePath = selfExecutablePath
    }

    /// Decided from stat alone, before reading the rest.
    func reports(_ stat: ProcStat, pid: Int32) -> Bool {
        pid != selfPID && (includeKernelThreads || !stat.isKernelThread)
    }

    func reports(_ sample: ProcessSample) -> Bool {
        guard reports(sample.stat, pid: sample.pid) else { return false }
        if let path = selfExecutablePath, sample.exe == path { return false }
        guard let mine = selfExecutable, let theirs = sample.exeIdentity else { return true }
        return !mine.isSameFile(as: theirs)
    }
}

/// Takes snapshots: two reads of /proc a window apart, paired into per-process records.
public struct Sampler: Sendable {
    public var procfs: ProcFS
    public var options: SnapshotOptions
    /// Seconds since boot; injectable so tests can pair fixture reads at known times.
    public var uptime: @Sendable () -> Double

    public init(procfs: ProcFS = ProcFS(), options: SnapshotOptions = SnapshotOptions(),
                uptime: @escaping @Sendable () -> Double = Sampler.bootClock) {
        self.procfs = procfs
        self.options = options
        self.uptime = uptime
    }

    /// CLOCK_BOOTTIME in seconds: the clock /proc/uptime and stat's start time count on.
    public static let bootClock: @Sendable () -> Double = {
        var now = timespec()
        clock_gettime(CLOCK_BOOTTIME, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    /// One read of every process. A process that vanishes while it is read is left out.
    /// `signals`: afterwards, read each reported process's threads' policies and open descriptors.
    /// That is a pass of its own: the counters of both reads must be taken at the same pace, or
    /// the window's rates would include the time spent on descriptors.
    public func read(signals: Bool = false) -> ProcessTable {
        let startedAt = uptime()
        var samples: [Int32: ProcessSample] = [:]
        let pids = procfs.pids()
        samples.reserveCapacity(pids.count)
        for pid in pids {
            guard let stat = procfs.stat(pid) else { continue }
            samples[pid] = options.reports(stat, pid: pid)
                ? ProcessSample.read(pid, stat: stat, from: procfs)
                : ProcessSample(pid: pid, stat: stat)
        }
        if signals {
            let sockets = UnixSocketTable.read()
            for (pid, sample) in samples where options.reports(sample) {
                let read = ProcessSignals.read(pid, threads: sample.stat.threads, procfs: procfs, sockets: sockets)
                // the same process still (a pid reused meanwhile is another program's handles)
                if procfs.stat(pid)?.startTime == sample.stat.startTime { samples[pid]?.signals = read }
            }
        }
        return ProcessTable(uptime: startedAt, samples: samples)
    }

    /// Reads /proc, waits until `window` after the start of that read, reads again, and pairs them.
    public func snapshot(window: Duration, host: HostInfo? = nil) async throws -> Snapshot {
        let clock = ContinuousClock()
        let start = clock.now
        let first = read()
        try await Task.sleep(until: start + window, clock: clock)
        let takenAt = Date()
        let second = read(signals: true)
        return snapshot(from: first, to: second, host: host ?? HostInfo.current(procRoot: procfs.root), takenAt: takenAt)
    }

    /// Pairs two reads into a snapshot (see `SnapshotBuilder` for how rates are derived).
    public func snapshot(from first: ProcessTable, to second: ProcessTable, host: HostInfo, takenAt: Date) -> Snapshot {
        SnapshotBuilder(first: first, second: second, options: options).snapshot(host: host, takenAt: takenAt)
    }
}
