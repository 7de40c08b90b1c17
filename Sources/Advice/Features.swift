// SPDX-License-Identifier: Apache-2.0
import Catalog
import LinuxSystem
import Profiling

/// What the advisor knows about one process: the data sent to the model (as JSON values,
/// never as instructions) and the signals the heuristic advisor reads.
public struct ProcessFeatures: Sendable, Hashable, Codable {
    public var pid: Int32
    public var comm: String
    public var exe: String?
    public var cmdline: [String]
    public var parentComm: String?
    public var cgroup: String?
    public var uid: UInt32?
    public var threads: Int
    public var cpuPercent: Double?
    public var voluntarySwitchesPerSecond: Double?
    public var involuntarySwitchesPerSecond: Double?
    public var readBytesPerSecond: Double?
    public var writeBytesPerSecond: Double?
    public var rssKiB: Int?
    public var nice: Int
    public var policy: String
    public var kernelThread: Bool
    /// The running executable file (device, inode): what vouches for a boost.
    public var exeFile: FileIdentity?
    /// Threads' policies and open handles, when the snapshot recorded them: what the safety check reads.
    public var signals: ProcessSignals?

    public init(pid: Int32, comm: String, exe: String? = nil, cmdline: [String] = [], parentComm: String? = nil,
                cgroup: String? = nil, uid: UInt32? = nil, threads: Int = 1, cpuPercent: Double? = nil,
                voluntarySwitchesPerSecond: Double? = nil, involuntarySwitchesPerSecond: Double? = nil,
                readBytesPerSecond: Double? = nil, writeBytesPerSecond: Double? = nil, rssKiB: Int? = nil,
                nice: Int = 0, policy: String = "other", kernelThread: Bool = false,
                exeFile: FileIdentity? = nil, signals: ProcessSignals? = nil) {
        self.pid = pid
        self.comm = comm
        self.exe = exe
        self.cmdline = cmdline
        self.parentComm = parentComm
        self.cgroup = cgroup
        self.uid = uid
        self.threads = threads
        self.cpuPercent = cpuPercent
        self.voluntarySwitchesPerSecond = voluntarySwitchesPerSecond
        self.involuntarySwitchesPerSecond = involuntarySwitchesPerSecond
        self.readBytesPerSecond = readBytesPerSecond
        self.writeBytesPerSecond = writeBytesPerSecond
        self.rssKiB = rssKiB
        self.nice = nice
        self.policy = policy
        self.kernelThread = kernelThread
        self.exeFile = exeFile
        self.signals = signals
    }

    /// The features with a bounded command line (at most 32 arguments of at most 256 bytes), as
    /// the evidence file keeps them: a process chooses its argv, the file must stay small.
    public var abbreviated: ProcessFeatures {
        var copy = self
        copy.cmdline = cmdline.prefix(32).map { $0.utf8.count > 256 ? String(decoding: Array($0.utf8.prefix(256)), as: UTF8.self) + "..." : $0 }
        return copy
    }

    /// What the rule matcher sees of this process.
    public var identity: ProcessIdentity {
        ProcessIdentity(comm: comm, argv: cmdline, exe: exe, cgroup: cgroup, exeFile: exeFile)
    }
}
