// SPDX-License-Identifier: Apache-2.0
#if canImport(Glibc)
import Glibc
#endif

/// The one way schedcat reads a file that steers it (catalog, config, snapshot, evidence,
/// import rules): opened once without following a symlink or blocking on a FIFO, checked
/// through that descriptor, and read from that same descriptor with a size cap. Nothing can
/// swap the file between the check and the read.
public enum PolicyFileReader {
    public static let defaultLimit = 64 << 20

    public enum Symlinks: Sendable { case refuse, follow }

    /// The bytes of `path`. `trusted`: refuse a file another user could have written (owner
    /// neither root nor the caller, or world-writable). `symlinks: .follow` only for trees a
    /// person chose to import; the file reached must still be regular.
    public static func read(_ path: String, trusted: Bool, symlinks: Symlinks = .refuse,
                            limit: Int = defaultLimit) throws(FileSafetyError) -> [UInt8] {
        var flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY
        if symlinks == .refuse { flags |= O_NOFOLLOW }
        let fd = open(path, flags)
        guard fd >= 0 else {
            let code = errno
            guard symlinks == .refuse else { throw .system(SystemError("open", path: path, code: code)) }
            throw openFailure("open", path: path, code: code)
        }
        defer { close(fd) }
        let info = try statOf(fd, path: path)
        let kind = FileKind(mode: info.st_mode)
        guard kind == .regular else { throw .notRegular(path: path, kind: kind) }
        if trusted { try FileOwnership.requireTrusted(info, path: path) }
        return try readAll(fd, path: path, limit: limit)
    }

    static func readAll(_ fd: Int32, path: String, limit: Int) throws(FileSafetyError) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .system(SystemError("read", path: path))
            }
            if count == 0 { return bytes }
            guard bytes.count + count <= limit else { throw .tooLarge(path: path, limit: limit) }
            bytes.append(contentsOf: chunk[..<count])
        }
    }
}
