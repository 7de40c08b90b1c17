// SPDX-License-Identifier: Apache-2.0
#if canImport(Glibc)
import Glibc
#endif

/// The one way schedcat creates or replaces a file: a fresh temp file beside it
/// (`O_CREAT|O_EXCL|O_NOFOLLOW`, random name), written and fsynced, then renamed over the
/// name (replace) or hard-linked to it (create, which fails if the name appeared meanwhile),
/// all relative to one checked directory descriptor. A symlink at the name is refused, never
/// written through; readers see the old content or the new, never half of it.
public enum AtomicFile {
    public enum Existing: Sendable, Equatable {
        /// Fail with `.exists` when the name is taken (also when it appears during the write).
        case refuse
        /// Replace it; `keepBackup` keeps the previous content as `NAME.bak`.
        case replace(keepBackup: Bool)
    }

    /// Writes `bytes` to `path` after opening and checking its directory.
    public static func write(_ bytes: [UInt8], to path: String, existing: Existing, mode: mode_t = 0o644) throws(FileSafetyError) {
        let directory = try CheckedDirectory(containing: path)
        try write(bytes, name: CheckedDirectory.split(path).name, in: directory, existing: existing, mode: mode)
    }

    /// Writes `bytes` to `name` inside `directory`. A replaced file keeps its permissions
    /// (without write access for others); a new one gets `mode`.
    public static func write(_ bytes: [UInt8], name: String, in directory: CheckedDirectory, existing: Existing,
                             mode: mode_t = 0o644) throws(FileSafetyError) {
        let target = directory.pathOf(name)
        var finalMode = mode
        let current = try directory.entry(name)
        if let current {
            let kind = FileKind(mode: current.st_mode)
            if kind == .symbolicLink { throw .symbolicLink(path: target) }
            if existing == .refuse { throw .exists(path: target) }
            if kind != .regular { throw .notRegular(path: target, kind: kind) }
            finalMode = current.st_mode & 0o777
        }
        finalMode &= ~mode_t(S_IWOTH)
        let temp = try writeTemporary(bytes, beside: name, in: directory, mode: finalMode)
        defer { unlinkat(directory.fd, temp, 0) }
        switch existing {
        case .refuse:
            guard linkat(directory.fd, temp, directory.fd, name, 0) == 0 else {
                let code = errno
                throw code == EEXIST ? .exists(path: target) : .system(SystemError("link", path: target, code: code))
            }
        case .replace(let keepBackup):
            if keepBackup && current != nil { try backUp(name, in: directory) }
            guard renameat(directory.fd, temp, directory.fd, name) == 0 else {
                throw .system(SystemError("rename", path: target))
            }
        }
        directory.sync()
    }

    /// Keeps the current `name` as `name.bak`: hard-linked under a fresh name, then renamed over
    /// the old backup, so a link planted at `name.bak` is replaced, never followed.
    static func backUp(_ name: String, in directory: CheckedDirectory) throws(FileSafetyError) {
        let backup = name + ".bak"
        if let info = try directory.entry(backup) {
            let kind = FileKind(mode: info.st_mode)
            if kind == .symbolicLink { throw .symbolicLink(path: directory.pathOf(backup)) }
            if kind != .regular { throw .notRegular(path: directory.pathOf(backup), kind: kind) }
        }
        let staged = temporaryName(for: backup)
        guard linkat(directory.fd, name, directory.fd, staged, 0) == 0 else {
            throw .system(SystemError("link (keeping the previous content as \(backup))", path: directory.pathOf(name)))
        }
        guard renameat(directory.fd, staged, directory.fd, backup) == 0 else {
            let error = SystemError("rename", path: directory.pathOf(backup))
            unlinkat(directory.fd, staged, 0)
            throw .system(error)
        }
    }

    /// Creates `.NAME.tmp.RANDOM` exclusively, writes and fsyncs it; returns its name.
    static func writeTemporary(_ bytes: [UInt8], beside name: String, in directory: CheckedDirectory,
                               mode: mode_t) throws(FileSafetyError) -> String {
        var attempts = 0
        while true {
            let temp = temporaryName(for: name)
            let fd = openat(directory.fd, temp, O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY | O_CLOEXEC, 0o600)
            if fd < 0 {
                attempts += 1
                if errno == EEXIST && attempts < 10 { continue }
                throw openFailure("create a temporary file", path: directory.pathOf(temp), at: directory.fd, temp)
            }
            do throws(FileSafetyError) {
                try writeAll(bytes, to: fd, path: directory.pathOf(temp))
                guard fchmod(fd, mode) == 0 else { throw FileSafetyError.system(SystemError("fchmod", path: directory.pathOf(temp))) }
                guard fsync(fd) == 0 else { throw FileSafetyError.system(SystemError("fsync", path: directory.pathOf(temp))) }
                guard close(fd) == 0 else {
                    unlinkat(directory.fd, temp, 0)
                    throw FileSafetyError.system(SystemError("close", path: directory.pathOf(temp)))
                }
            } catch {
                close(fd)
                unlinkat(directory.fd, temp, 0)
                throw error
            }
            return temp
        }
    }

    static func temporaryName(for name: String) -> String {
        ".\(name).tmp.\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
    }

    static func writeAll(_ bytes: [UInt8], to fd: Int32, path: String) throws(FileSafetyError) {
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .system(SystemError("write", path: path))
            }
            written += count
        }
    }
}
