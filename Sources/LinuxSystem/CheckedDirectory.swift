// SPDX-License-Identifier: Apache-2.0
#if canImport(Glibc)
import Glibc
#endif

/// A directory opened once and checked, so that files beside each other (a catalog, its lock,
/// temp file, backup and evidence; export files) are created relative to the same directory
/// with `openat`/`linkat`/`renameat`, never by re-resolving a path another user could redirect.
public final class CheckedDirectory {
    public let path: String
    public let fd: Int32

    /// Opens the directory `path`. `symlinks: .refuse`: the last component may not be a symlink
    /// (an output directory the caller names, where a planted link would redirect every file).
    /// `create`: make it (mode 0755) when it is missing; a symlink is never created through.
    /// Refuses a directory that users other than root and the caller can add or swap entries in,
    /// unless it is sticky (like /tmp) and owned by root or the caller.
    public init(_ path: String, symlinks: PolicyFileReader.Symlinks = .follow, create: Bool = false) throws(FileSafetyError) {
        let flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC | (symlinks == .refuse ? O_NOFOLLOW : 0)
        var fd = open(path, flags)
        if fd < 0 && errno == ENOENT && create {
            guard mkdir(path, 0o755) == 0 || errno == EEXIST else { throw .system(SystemError("mkdir", path: path)) }
            fd = open(path, flags)
        }
        if fd < 0 {
            let code = errno
            guard symlinks == .refuse else { throw .system(SystemError("open directory", path: path, code: code)) }
            throw openFailure("open directory", path: path, code: code)
        }
        do throws(FileSafetyError) {
            try Self.requireSafe(try statOf(fd, path: path), path: path)
        } catch {
            close(fd)
            throw error
        }
        self.path = path
        self.fd = fd
    }

    /// The directory holding `file` (`.` for a bare name), opened and checked.
    public convenience init(containing file: String) throws(FileSafetyError) {
        try self.init(Self.split(file).directory)
    }

    deinit { close(fd) }

    static func requireSafe(_ info: stat, path: String) throws(FileSafetyError) {
        guard info.st_mode & (S_IWGRP | S_IWOTH) != 0 else { return }
        guard info.st_mode & S_ISVTX != 0 else {
            throw .unsafeDirectory(path: path, reason: "is writable by other users and not sticky (anyone could swap files in it); "
                                   + "refusing to write there (run: chmod go-w \(path))")
        }
        do throws(FileSafetyError) {
            try FileOwnership.requireOwnedByRootOrCaller(info, path: path)
        } catch {
            throw .unsafeDirectory(path: path, reason: "is a shared sticky directory owned by uid \(info.st_uid), neither root nor you; "
                                   + "its owner could swap files in it, refusing to write there")
        }
    }

    /// `lstat` of an entry (never following a symlink), nil when there is none.
    public func entry(_ name: String) throws(FileSafetyError) -> stat? {
        var info = stat()
        guard fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
            if errno == ENOENT { return nil }
            throw .system(SystemError("fstatat", path: pathOf(name)))
        }
        return info
    }

    /// `path/name`, for messages.
    public func pathOf(_ name: String) -> String { path == "." ? name : path.hasSuffix("/") ? path + name : "\(path)/\(name)" }

    /// Splits a path into its directory (`.` when there is none) and last component.
    public static func split(_ file: String) -> (directory: String, name: String) {
        guard let slash = file.lastIndex(of: "/") else { return (".", file) }
        let directory = String(file[..<slash])
        return (directory.isEmpty ? "/" : directory, String(file[file.index(after: slash)...]))
    }

    /// fsync(2) of the directory, so a rename or link in it survives a crash.
    func sync() { fsync(fd) }
}
