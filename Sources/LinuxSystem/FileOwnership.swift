// SPDX-License-Identifier: Apache-2.0
#if canImport(Glibc)
import Glibc
#endif

/// Who may have written a file schedcat trusts: root or the caller, and not everyone.
public enum FileOwnership {
    /// Throws unless `info` (an fstat of the open descriptor) is owned by root or the caller
    /// and not world-writable.
    public static func requireTrusted(_ info: stat, path: String) throws(FileSafetyError) {
        if info.st_mode & S_IWOTH != 0 { throw .worldWritable(path: path) }
        try requireOwnedByRootOrCaller(info, path: path)
    }

    /// Throws unless `info` is owned by root or the caller.
    public static func requireOwnedByRootOrCaller(_ info: stat, path: String) throws(FileSafetyError) {
        let caller = geteuid()
        if info.st_uid != 0 && info.st_uid != caller {
            throw .foreignOwner(path: path, owner: info.st_uid, caller: caller)
        }
    }
}

/// fstat(2) of a descriptor.
func statOf(_ fd: Int32, path: String) throws(FileSafetyError) -> stat {
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw .system(SystemError("fstat", path: path)) }
    return info
}

/// An open(2)/openat(2) failure of `name` in `directory` (AT_FDCWD for a path). When the entry
/// is a symlink (O_NOFOLLOW gives ELOOP, or EACCES when creating over a dangling one), say so.
func openFailure(_ operation: String, path: String, at directory: Int32 = AT_FDCWD, _ name: String? = nil,
                 code: Int32 = errno) -> FileSafetyError {
    var info = stat()
    if fstatat(directory, name ?? path, &info, AT_SYMLINK_NOFOLLOW) == 0 && FileKind(mode: info.st_mode) == .symbolicLink {
        return .symbolicLink(path: path)
    }
    return .system(SystemError(operation, path: path, code: code))
}
