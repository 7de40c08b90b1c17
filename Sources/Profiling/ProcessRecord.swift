// SPDX-License-Identifier: Apache-2.0
/// One process (thread group) in a snapshot. Rates are over the snapshot's window and nil when
/// they are not known (see `Observation`); other optionals are nil when unreadable (permission
/// denied, a kernel thread, or the process went away during the read).
public struct ProcessRecord: Sendable, Equatable {
    // The contract fields of schedcat.snapshot/v1.
    public var pid: Int32
    public var ppid: Int32
    public var comm: String
    public var exe: String?
    public var cmdline: [String]?
    public var parentComm: String?
    /// Effective uid.
    public var uid: UInt32?
    public var threads: Int
    /// CPU time over the window as a share of one CPU (may exceed 100 with several threads).
    public var cpuPercent: Double?
    public var rssKiB: Int64
    /// Summed over all threads.
    public var voluntarySwitchesPerSecond: Double?
    public var involuntarySwitchesPerSecond: Double?
    /// Storage IO (/proc/PID/io read_bytes, write_bytes).
    public var readBytesPerSecond: Double?
    public var writeBytesPerSecond: Double?
    public var cgroup: String?
    public var nice: Int
    public var policy: String
    public var kernelThread: Bool

    // Additions: what later stages need to identify the process and judge the numbers.
    public var observed: Observation
    /// Clock ticks after boot (`host.clock_ticks_per_s`); (pid, start_time) identifies a process within a boot.
    public var startTime: UInt64?
    public var ageSeconds: Double?
    /// The stat state letter (R, S, D, Z, ...).
    public var state: String?
    public var rtPriority: Int?
    /// CPU time over the process's whole life so far, as a share of one CPU.
    public var lifetimeCPUPercent: Double?
    /// The running executable's file (stat through /proc/PID/exe).
    public var exeIdentity: ExeIdentity?
    /// Threads' policies and open handles (sound device, audio and display sockets); nil in
    /// snapshots written before they were recorded and for processes seen only in the first read.
    public var signals: ProcessSignals?
    /// The installed package that ships the running file (dpkg), nil when none or unknown.
    public var package: PackageInfo?

    public init(pid: Int32, ppid: Int32, comm: String, exe: String?, cmdline: [String]?, parentComm: String?, uid: UInt32?,
                threads: Int, cpuPercent: Double?, rssKiB: Int64, voluntarySwitchesPerSecond: Double?,
                involuntarySwitchesPerSecond: Double?, readBytesPerSecond: Double?, writeBytesPerSecond: Double?,
                cgroup: String?, nice: Int, policy: String, kernelThread: Bool, observed: Observation = .both,
                startTime: UInt64? = nil, ageSeconds: Double? = nil, state: String? = nil, rtPriority: Int? = nil,
                lifetimeCPUPercent: Double? = nil, exeIdentity: ExeIdentity? = nil, signals: ProcessSignals? = nil,
                package: PackageInfo? = nil) {
        self.pid = pid
        self.ppid = ppid
        self.comm = comm
        self.exe = exe
        self.cmdline = cmdline
        self.parentComm = parentComm
        self.uid = uid
        self.threads = threads
        self.cpuPercent = cpuPercent
        self.rssKiB = rssKiB
        self.voluntarySwitchesPerSecond = voluntarySwitchesPerSecond
        self.involuntarySwitchesPerSecond = involuntarySwitchesPerSecond
        self.readBytesPerSecond = readBytesPerSecond
        self.writeBytesPerSecond = writeBytesPerSecond
        self.cgroup = cgroup
        self.nice = nice
        self.policy = policy
        self.kernelThread = kernelThread
        self.observed = observed
        self.startTime = startTime
        self.ageSeconds = ageSeconds
        self.state = state
        self.rtPriority = rtPriority
        self.lifetimeCPUPercent = lifetimeCPUPercent
        self.exeIdentity = exeIdentity
        self.signals = signals
        self.package = package
    }
}

/// Which of the two reads saw the process, and so which rates are known.
public enum Observation: String, Sendable, Codable, CaseIterable {
    /// Seen in both reads: every rate is the difference of the two over the window.
    case both
    /// Gone by the second read: what it did in the window is unknown, so the rates are null
    /// (`lifetime_cpu_percent` still says how busy it was until the first read).
    case firstOnly = "first_only"
    /// Started after the first read: all its counters were earned inside the window, so its
    /// rates are its totals over the window.
    case secondOnly = "second_only"
}

/// The executable file a process runs, as `stat` of /proc/PID/exe reports it.
public struct ExeIdentity: Sendable, Equatable {
    /// st_dev as user space sees it (glibc encoding, `stat -c %d`).
    public var device: UInt64
    /// The same device as the kernel encodes it in `super_block.s_dev` (MAJOR << 20 | MINOR),
    /// what a BPF program reading `inode->i_sb->s_dev` compares with.
    public var kernelDevice: UInt64
    public var inode: UInt64
    public var ownerUID: UInt32
    /// st_mode: file type and permission bits.
    public var mode: UInt32

    public init(device: UInt64, kernelDevice: UInt64, inode: UInt64, ownerUID: UInt32, mode: UInt32) {
        self.device = device
        self.kernelDevice = kernelDevice
        self.inode = inode
        self.ownerUID = ownerUID
        self.mode = mode
    }
}
