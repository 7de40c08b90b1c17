import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Atomic file creation and replacement for snapshots.
enum AtomicFile {
    static func write(_ data: Data, to path: String, overwrite: Bool) throws(SnapshotError) {
        let directory = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        let base = (path as NSString).lastPathComponent
        if !overwrite && exists(path) {
            throw SnapshotError(.writeFailed, "\(path): already exists; pass --force to replace it")
        }
        var template = Array("\(directory)/.\(base).tmp.XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw SnapshotError(.writeFailed, "\(path): cannot create a temporary file in \(directory): \(errorText())")
        }
        let tempPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { unlink(tempPath) }
        fchmod(fd, 0o644)
        var failure: String?
        var written = 0
        data.withUnsafeBytes { raw in
            while written < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + written, raw.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = "write failed: \(errorText())"
                    return
                }
                written += n
            }
        }
        if failure == nil && fsync(fd) != 0 { failure = "fsync failed: \(errorText())" }
        close(fd)
        if let failure { throw SnapshotError(.writeFailed, "\(path): \(failure)") }
        if overwrite {
            guard rename(tempPath, path) == 0 else { throw SnapshotError(.writeFailed, "\(path): rename failed: \(errorText())") }
        } else {
            // link(2) fails with EEXIST instead of replacing: no window where another file is clobbered.
            guard link(tempPath, path) == 0 else {
                let code = errno
                if code == EEXIST { throw SnapshotError(.writeFailed, "\(path): already exists; pass --force to replace it") }
                throw SnapshotError(.writeFailed, "\(path): cannot create it: \(errorText(code))")
            }
        }
        let directoryFD = open(directory, O_RDONLY | O_DIRECTORY)
        if directoryFD >= 0 {
            fsync(directoryFD)
            close(directoryFD)
        }
    }

    private static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    static func errorText(_ code: Int32 = errno) -> String {
        guard let message = strerror(code) else { return "errno \(code)" }
        return String(cString: message)
    }
}
