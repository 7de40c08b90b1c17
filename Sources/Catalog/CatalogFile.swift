import Foundation
#if canImport(Glibc)
import Glibc
#endif
import LinuxSystem

/// Reading and writing catalog files safely: permission checks on load, atomic replace on save.
public enum CatalogFile {
    /// Reads `path` after checking that nobody but root or the caller could have written it.
    public static func readText(_ path: String, checkOwnership: Bool = true) throws -> String {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw CatalogIOError("\(path): \(errnoText())")
        }
        if checkOwnership {
            try checkTrusted(path, info)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CatalogIOError("\(path): cannot read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CatalogIOError("\(path): not UTF-8 text")
        }
        return text
    }

    /// Loads and validates; throws `CatalogInvalid` with every error found.
    public static func load(_ path: String, checkOwnership: Bool = true) throws -> Catalog {
        try CatalogParser.load(try readText(path, checkOwnership: checkOwnership), file: path)
    }

    /// A catalog decides priorities for every process, often as root: refuse one that another
    /// unprivileged user could have written.
    static func checkTrusted(_ path: String, _ info: stat) throws {
        if info.st_mode & S_IWOTH != 0 {
            throw CatalogIOError("\(path): refusing a world-writable catalog (anyone could change process priorities); run: chmod o-w \(path)")
        }
        let me = geteuid()
        if info.st_uid != 0 && info.st_uid != me {
            throw CatalogIOError("\(path): refusing a catalog owned by uid \(info.st_uid), neither root nor you (uid \(me)); run: chown root \(path)")
        }
    }

    /// Replaces `path` with `text` atomically after validating it: temp file + fsync + rename,
    /// the previous content kept as `path.bak`. Refuses symlinks and invalid content; on any
    /// failure the existing file is untouched.
    public static func writeAtomically(_ text: String, to path: String, validate: Bool = true) throws {
        if validate {
            _ = try CatalogParser.load(text, file: path)
        }
        var linkInfo = stat()
        let exists = lstat(path, &linkInfo) == 0
        if exists && (linkInfo.st_mode & S_IFMT) == S_IFLNK {
            throw CatalogIOError("\(path): is a symlink; refusing to write through it")
        }
        let directory = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        let base = (path as NSString).lastPathComponent
        var template = Array("\(directory)/.\(base).tmp.XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw CatalogIOError("\(path): cannot create a temporary file in \(directory): \(errnoText())")
        }
        let tempPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var committed = false
        defer {
            if !committed { unlink(tempPath) }
        }
        let mode: mode_t = exists ? (linkInfo.st_mode & 0o777) : 0o644
        fchmod(fd, mode & ~mode_t(S_IWOTH))
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                let message = errnoText()
                close(fd)
                throw CatalogIOError("\(path): write failed: \(message)")
            }
            written += n
        }
        guard fsync(fd) == 0 else {
            let message = errnoText()
            close(fd)
            throw CatalogIOError("\(path): fsync failed: \(message)")
        }
        close(fd)
        if exists {
            let backup = path + ".bak"
            unlink(backup)
            guard link(path, backup) == 0 else {
                throw CatalogIOError("\(backup): cannot keep the previous catalog: \(errnoText())")
            }
        }
        guard rename(tempPath, path) == 0 else {
            throw CatalogIOError("\(path): rename failed: \(errnoText())")
        }
        committed = true
        let dirFD = open(directory, O_RDONLY | O_DIRECTORY)
        if dirFD >= 0 {
            fsync(dirFD)
            close(dirFD)
        }
    }

    /// Writes a new file, refusing to replace an existing one unless `overwrite` is set.
    public static func create(_ text: String, at path: String, overwrite: Bool) throws {
        if !overwrite && FileManager.default.fileExists(atPath: path) {
            throw CatalogIOError("\(path): already exists; pass --force to replace it (the old one is kept as \(path).bak)")
        }
        try writeAtomically(text, to: path)
    }
}
