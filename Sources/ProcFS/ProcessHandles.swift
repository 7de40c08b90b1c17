// SPDX-License-Identifier: Apache-2.0
#if canImport(Glibc)
import Glibc
#endif

/// What a process holds open and how its threads are scheduled: the evidence the advice's
/// safety check reads. Every read is bounded; a process that is gone or unreadable gives nothing.
extension ProcFS {
    /// The targets of at most `limit` of the process's open descriptors (`readlink` of
    /// /proc/PID/fd/N: a path, `socket:[INODE]`, `pipe:[INODE]`, `anon_inode:...`).
    public func descriptorTargets(_ pid: Int32, limit: Int) -> [(fd: Int32, target: String)] {
        FileReader.numericEntries("\(root)/\(pid)/fd", limit: limit).sorted().compactMap { fd in
            FileReader.link("\(root)/\(pid)/fd/\(fd)").map { (fd, $0) }
        }
    }

    /// The major number of the character device an open descriptor refers to; nil for anything else.
    public func characterDeviceMajor(_ pid: Int32, fd: Int32) -> UInt32? {
        guard let device = characterDevice("\(root)/\(pid)/fd/\(fd)") else { return nil }
        // glibc's gnu_dev_major
        return UInt32(truncatingIfNeeded: ((device >> 8) & 0xfff) | ((device >> 32) & ~UInt64(0xfff)))
    }

    /// The scheduling policy number of each of at most `limit` threads.
    public func threadPolicies(_ pid: Int32, limit: Int) -> [Int] {
        FileReader.numericEntries("\(root)/\(pid)/task", limit: limit).compactMap { threadStat(pid, $0)?.policy }
    }

    /// The socket inode of a descriptor target `socket:[INODE]`.
    public static func socketInode(_ target: String) -> UInt64? {
        guard target.hasPrefix("socket:["), target.hasSuffix("]") else { return nil }
        return UInt64(target.dropFirst(8).dropLast())
    }
}

/// st_rdev of the character device at `path` (followed), nil for anything else.
private func characterDevice(_ path: String) -> UInt64? {
    var info = stat()
    guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFCHR else { return nil }
    return UInt64(info.st_rdev)
}
