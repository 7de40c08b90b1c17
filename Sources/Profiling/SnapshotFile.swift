import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Why a snapshot could not be loaded or saved. `invalid` is bad input (exit 2 in the CLI).
public struct SnapshotError: Error, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable { case unreadable, invalid, writeFailed }
    public var kind: Kind
    public var message: String
    public var description: String { message }

    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    init(_ kind: Kind, _ message: String) {
        self.init(kind: kind, message: message)
    }
}

extension Snapshot {
    /// Reads, decodes and validates a snapshot file.
    public static func load(_ path: String) throws(SnapshotError) -> Snapshot {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot read it" : "no such file"
            throw SnapshotError(.unreadable, "\(path): \(reason)")
        }
        return try decode(data, source: path)
    }

    /// Decodes and validates snapshot JSON; `source` names it in error messages.
    public static func decode(_ data: Data, source: String) throws(SnapshotError) -> Snapshot {
        let snapshot: Snapshot
        do {
            snapshot = try JSONDecoder().decode(Snapshot.self, from: data)
        } catch let error as DecodingError {
            throw SnapshotError(.invalid, "\(source): \(describe(error))")
        } catch {
            throw SnapshotError(.invalid, "\(source): \(error)")
        }
        let problems = snapshot.problems()
        guard problems.isEmpty else {
            let shown = problems.prefix(5).joined(separator: "; ")
            let more = problems.count > 5 ? " (and \(problems.count - 5) more)" : ""
            throw SnapshotError(.invalid, "\(source): invalid snapshot: \(shown)\(more)")
        }
        return snapshot
    }

    /// What is wrong with the values (the JSON structure being right); empty when nothing is.
    public func problems() -> [String] {
        var problems: [String] = []
        if !(windowSeconds.isFinite && windowSeconds > 0) { problems.append("window_s must be a positive number, not \(windowSeconds)") }
        if host.cpus < 1 { problems.append("host.cpus must be at least 1, not \(host.cpus)") }
        var seen = Set<String>()
        for (index, record) in processes.enumerated() {
            let at = "processes[\(index)] (pid \(record.pid))"
            if record.pid <= 0 { problems.append("\(at): pid must be positive") }
            if record.ppid < 0 { problems.append("\(at): ppid must not be negative") }
            if record.threads < 0 { problems.append("\(at): threads must not be negative") }
            if record.rssKiB < 0 { problems.append("\(at): rss_kib must not be negative") }
            let rates: [(String, Double?)] = [
                ("cpu_percent", record.cpuPercent), ("voluntary_switches_per_s", record.voluntarySwitchesPerSecond),
                ("involuntary_switches_per_s", record.involuntarySwitchesPerSecond),
                ("read_bytes_per_s", record.readBytesPerSecond), ("write_bytes_per_s", record.writeBytesPerSecond),
            ]
            for (name, value) in rates {
                if let value, !(value.isFinite && value >= 0) { problems.append("\(at): \(name) must be a number >= 0, not \(value)") }
            }
            if !seen.insert("\(record.pid)/\(record.startTime.map(String.init) ?? "-")").inserted {
                problems.append("\(at): the same process (pid and start_time) appears twice")
            }
        }
        return problems
    }

    /// Pretty JSON with sorted keys (stable diffs); unknown values are null.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }

    /// Writes the snapshot atomically (temp file, fsync, then rename or link). Without
    /// `overwrite` an existing `path` is never replaced, even if it appears meanwhile.
    public func write(to path: String, overwrite: Bool) throws(SnapshotError) {
        let data: Data
        do {
            data = try jsonData()
        } catch {
            throw SnapshotError(.writeFailed, "\(path): cannot encode the snapshot: \(error)")
        }
        try AtomicFile.write(data, to: path, overwrite: overwrite)
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            let text = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.hasPrefix(".") ? String(text.dropFirst()) : (text.isEmpty ? "top level" : text)
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = path(context.codingPath)
            return "missing key '\(key.stringValue)'" + (context.codingPath.isEmpty ? "" : " in \(parent)")
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)): expected \(typeName(type))"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)): expected \(typeName(type)), found null"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "not valid JSON (\(context.underlyingError.map { "\($0)" } ?? context.debugDescription))" }
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is Double.Type: return "a number"
        case is Int.Type, is Int32.Type, is Int64.Type, is UInt32.Type, is UInt64.Type: return "an integer"
        case is [Any].Type: return "an array"
        default: return "\(type)"
        }
    }
}

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
