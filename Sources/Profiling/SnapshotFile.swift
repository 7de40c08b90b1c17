// SPDX-License-Identifier: Apache-2.0
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import LinuxSystem

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
        let bytes: [UInt8]
        do {
            // A snapshot may come from another machine or user: no ownership check, but one
            // descriptor, no symlink, a regular file of bounded size.
            bytes = try PolicyFileReader.read(path, trusted: false)
        } catch .system(let error) where error.code == ENOENT {
            throw SnapshotError(.unreadable, "\(path): no such file")
        } catch {
            throw SnapshotError(.unreadable, "\(error)")
        }
        return try decode(Data(bytes), source: path)
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
        do {
            try AtomicFile.write(Array(data), to: path, existing: overwrite ? .replace(keepBackup: false) : .refuse)
        } catch .exists {
            throw SnapshotError(.writeFailed, "\(path): already exists; pass --force to replace it")
        } catch {
            throw SnapshotError(.writeFailed, "\(error)")
        }
    }
}
