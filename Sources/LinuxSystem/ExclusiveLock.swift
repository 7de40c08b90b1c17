// SPDX-License-Identifier: Apache-2.0
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive flock(2) on `NAME.lock` beside a file, held until `release()`. The lock file is
/// opened relative to a checked directory with `O_NOFOLLOW` (a planted symlink cannot make root
/// create a file elsewhere) and must be a regular file owned by root or the caller (another
/// user's lock file could stall every writer forever); it is kept at mode 0600 so no one else
/// can open it to hold the lock.
public final class ExclusiveLock {
    private let fd: Int32

    /// Locks `file + ".lock"`, waiting for other holders.
    public convenience init(beside file: String) throws(FileSafetyError) {
        let directory = try CheckedDirectory(containing: file)
        try self.init(name: CheckedDirectory.split(file).name + ".lock", in: directory)
    }

    public init(name: String, in directory: CheckedDirectory) throws(FileSafetyError) {
        let path = directory.pathOf(name)
        let fd = openat(directory.fd, name, O_CREAT | O_RDWR | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY, 0o600)
        guard fd >= 0 else { throw openFailure("open lock file", path: path, at: directory.fd, name) }
        do throws(FileSafetyError) {
            let info = try statOf(fd, path: path)
            let kind = FileKind(mode: info.st_mode)
            guard kind == .regular else { throw FileSafetyError.notRegular(path: path, kind: kind) }
            try FileOwnership.requireOwnedByRootOrCaller(info, path: path)
            if info.st_mode & 0o077 != 0 { fchmod(fd, 0o600) }
            while flock(fd, LOCK_EX) != 0 {
                guard errno == EINTR else { throw FileSafetyError.system(SystemError("flock", path: path)) }
            }
        } catch {
            close(fd)
            throw error
        }
        self.fd = fd
    }

    public func release() {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
