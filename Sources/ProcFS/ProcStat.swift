// SPDX-License-Identifier: Apache-2.0
/// The fields of /proc/PID/stat (or /proc/PID/task/TID/stat) that schedcat uses.
public struct ProcStat: Sendable, Hashable {
    public var comm: String
    public var state: Character
    public var ppid: Int32
    public var flags: UInt64
    /// User and system CPU time in clock ticks (USER_HZ).
    public var utime: UInt64
    public var stime: UInt64
    public var nice: Int
    public var threads: Int
    /// When the process started, in clock ticks after boot; with the pid it identifies a process.
    public var startTime: UInt64
    public var rssPages: Int64
    public var processor: Int
    public var rtPriority: Int
    public var policy: Int

    /// PF_KTHREAD from include/linux/sched.h.
    public static let kernelThreadFlag: UInt64 = 0x0020_0000
    public var isKernelThread: Bool { flags & Self.kernelThreadFlag != 0 }

    /// Parses the stat line; the comm may contain spaces and parentheses, so fields are
    /// counted from the last ')'.
    public init?(_ bytes: [UInt8]) {
        guard let open = bytes.firstIndex(of: UInt8(ascii: "(")),
              let close = bytes.lastIndex(of: UInt8(ascii: ")")), close > open else { return nil }
        let fields = ASCIIFields.spaceSeparated(bytes, from: close + 1)
        // fields[0] is stat field 3 (state); field 41 (policy) is the last one used.
        guard fields.count >= 39 else { return nil }
        func number<T: FixedWidthInteger>(_ field: Int) -> T? { ASCIIFields.integer(bytes[fields[field - 3]]) }
        guard let ppid: Int32 = number(4), let flags: UInt64 = number(9), let utime: UInt64 = number(14),
              let stime: UInt64 = number(15), let nice: Int = number(19), let threads: Int = number(20),
              let start: UInt64 = number(22), let rss: Int64 = number(24), let processor: Int = number(39),
              let rt: Int = number(40), let policy: Int = number(41) else { return nil }
        comm = String(decoding: bytes[(open + 1)..<close], as: UTF8.self)
        state = Character(UnicodeScalar(bytes[fields[0].lowerBound]))
        self.ppid = ppid
        self.flags = flags
        self.utime = utime
        self.stime = stime
        self.nice = nice
        self.threads = threads
        startTime = start
        rssPages = rss
        self.processor = processor
        rtPriority = rt
        self.policy = policy
    }

    public var cpuTicks: UInt64 { utime + stime }
}

/// Scheduling policies as /proc reports them (include/uapi/linux/sched.h).
public enum SchedPolicyNumber {
    public static let other = 0, fifo = 1, rr = 2, batch = 3, idle = 5, deadline = 6, ext = 7

    public static func name(_ policy: Int) -> String {
        switch policy {
        case other: return "other"
        case fifo: return "fifo"
        case rr: return "rr"
        case batch: return "batch"
        case idle: return "idle"
        case deadline: return "deadline"
        case ext: return "ext"
        default: return "policy-\(policy)"
        }
    }

    public static func isRealtime(_ policy: Int) -> Bool { policy == fifo || policy == rr || policy == deadline }
}
