// SPDX-License-Identifier: Apache-2.0
#if canImport(Glibc)
import Glibc
#endif
import LinuxSystem

/// Read access to a /proc tree. The root is injectable so tests can use a fixture tree.
/// Every accessor returns nil for a process that is gone or a field that is not readable.
public struct ProcFS: Sendable {
    public let root: String

    public init(root: String = "/proc") {
        self.root = root
    }

    public func pids() -> [Int32] { FileReader.numericEntries(root).sorted() }

    public func threadIDs(_ pid: Int32) -> [Int32] { FileReader.numericEntries("\(root)/\(pid)/task").sorted() }

    public func stat(_ pid: Int32) -> ProcStat? { FileReader.bytes("\(root)/\(pid)/stat").flatMap(ProcStat.init) }

    public func threadStat(_ pid: Int32, _ tid: Int32) -> ProcStat? {
        FileReader.bytes("\(root)/\(pid)/task/\(tid)/stat").flatMap(ProcStat.init)
    }

    /// A thread's run time, run-queue wait and timeslices (needs CONFIG_SCHED_INFO).
    public func schedStat(_ pid: Int32, _ tid: Int32) -> ThreadSchedStat? {
        FileReader.bytes("\(root)/\(pid)/task/\(tid)/schedstat").flatMap(ThreadSchedStat.init)
    }

    /// System-wide CPU pressure (PSI); nil on kernels without it.
    public func cpuPressure() -> CPUPressure? { FileReader.bytes("\(root)/pressure/cpu").flatMap(CPUPressure.init) }

    public func comm(_ pid: Int32) -> String? {
        FileReader.text("\(root)/\(pid)/comm").map { $0.hasSuffix("\n") ? String($0.dropLast()) : $0 }
    }

    /// argv as NUL-separated strings; empty for kernel threads and zombies.
    public func cmdline(_ pid: Int32) -> [String]? {
        guard let bytes = FileReader.bytes("\(root)/\(pid)/cmdline") else { return nil }
        var parts = bytes.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        if parts.last == "" { parts.removeLast() }
        return parts
    }

    /// The executable path (readlink of exe); nil when not permitted or a kernel thread.
    public func exe(_ pid: Int32) -> String? {
        guard let target = FileReader.link("\(root)/\(pid)/exe") else { return nil }
        return target.hasSuffix(" (deleted)") ? String(target.dropLast(10)) : target
    }

    /// /proc/PID/oom_score_adj (-1000..1000).
    public func oomScoreAdj(_ pid: Int32) -> Int? {
        FileReader.bytes("\(root)/\(pid)/oom_score_adj").flatMap { Int(String(decoding: $0, as: UTF8.self).trimmingCharacters(in: " \n")) }
    }

    /// The file the process runs, by (device, inode), or nil when that cannot be its identity:
    /// unreadable, or the process lives in another user namespace than schedcat, where it may
    /// have re-pointed its own exe link at any file it can open (prctl PR_SET_MM_MAP, exe_fd).
    public func exeIdentity(_ pid: Int32) -> FileIdentity? {
        guard let namespace = userNamespace(pid), let own = Self.ownUserNamespace, namespace.isSameFile(as: own) else { return nil }
        return FileIdentity.of("\(root)/\(pid)/exe")
    }

    /// The user namespace a process lives in, as (device, inode) of its nsfs file.
    public func userNamespace(_ pid: Int32) -> FileIdentity? { FileIdentity.of("\(root)/\(pid)/ns/user") }

    static let ownUserNamespace = FileIdentity.of("/proc/self/ns/user")

    /// The cgroup v2 path ("0::/user.slice/..."), or the first hierarchy's path on v1.
    public func cgroup(_ pid: Int32) -> String? {
        guard let bytes = FileReader.bytes("\(root)/\(pid)/cgroup") else { return nil }
        let lines = bytes.split(separator: UInt8(ascii: "\n"))
        let unifiedPrefix = Array("0::".utf8)
        if let unified = lines.first(where: { $0.starts(with: unifiedPrefix) }) {
            return String(decoding: unified.dropFirst(3), as: UTF8.self)
        }
        return lines.first.flatMap { line in
            line.split(separator: UInt8(ascii: ":"), maxSplits: 2, omittingEmptySubsequences: false).dropFirst(2).first
        }.map { String(decoding: $0, as: UTF8.self) }
    }

    /// Key/value lines of /proc/PID/status (or a thread's status when `tid` is given).
    public func status(_ pid: Int32, tid: Int32? = nil) -> [String: String]? {
        let path = tid.map { "\(root)/\(pid)/task/\($0)/status" } ?? "\(root)/\(pid)/status"
        guard let text = FileReader.text(path) else { return nil }
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: " \t")
        }
        return fields
    }

    /// Uids and context switch counts from /proc/PID/status, or from one thread's status
    /// when `tid` is given (the counts are per thread; the process file shows the leader's).
    public func processStatus(_ pid: Int32, tid: Int32? = nil) -> ProcStatus? {
        let path = tid.map { "\(root)/\(pid)/task/\($0)/status" } ?? "\(root)/\(pid)/status"
        return FileReader.bytes(path).flatMap(ProcStatus.init)
    }

    private static let readBytesKey = Array("read_bytes".utf8)
    private static let writeBytesKey = Array("write_bytes".utf8)

    /// read_bytes / write_bytes of /proc/PID/io (storage IO); nil without permission.
    public func io(_ pid: Int32) -> (readBytes: UInt64, writeBytes: UInt64)? {
        guard let bytes = FileReader.bytes("\(root)/\(pid)/io") else { return nil }
        var read: UInt64?, write: UInt64?
        ASCIIFields.forEachKeyValue(bytes) { key, value in
            if key.elementsEqual(Self.readBytesKey) { read = ASCIIFields.integer(value) }
            if key.elementsEqual(Self.writeBytesKey) { write = ASCIIFields.integer(value) }
        }
        guard let read, let write else { return nil }
        return (read, write)
    }

    /// Clock ticks per second for stat's utime/stime.
    public static let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    /// Bytes per page, for stat's rss.
    public static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
}

extension Substring {
    func trimmingCharacters(in set: String) -> String {
        var slice = self[...]
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String { self[...].trimmingCharacters(in: set) }
}
