// SPDX-License-Identifier: Apache-2.0
#if canImport(Glibc)
import Glibc
#endif

/// Identity of an executable file: what an exe pin resolves to.
public struct FileIdentity: Sendable, Hashable, Codable {
    // Hashable compares owner and mode too; isSameFile(as:) compares only device and inode.
    /// st_dev as user space sees it (glibc encoding).
    public var device: UInt64
    public var inode: UInt64
    public var ownerUID: UInt32
    public var mode: UInt32

    public init(device: UInt64, inode: UInt64, ownerUID: UInt32, mode: UInt32) {
        self.device = device
        self.inode = inode
        self.ownerUID = ownerUID
        self.mode = mode
    }

    /// stat(2) of a path (following symlinks), nil when it cannot be read.
    public static func of(_ path: String) -> FileIdentity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), ownerUID: info.st_uid, mode: info.st_mode)
    }

    /// The device number as the kernel stores it in `super_block.s_dev` (MAJOR << 20 | MINOR).
    public var kernelDevice: UInt64 {
        // glibc's gnu_dev_major/gnu_dev_minor
        let major = ((device >> 8) & 0xfff) | UInt64(UInt32(truncatingIfNeeded: device >> 32) & ~0xfff)
        let minor = (device & 0xff) | UInt64(UInt32(truncatingIfNeeded: device >> 12) & ~0xff)
        return (major << 20) | minor
    }
}
