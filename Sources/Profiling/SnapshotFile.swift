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
}
