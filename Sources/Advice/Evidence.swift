// SPDX-License-Identifier: Apache-2.0
import Catalog
import Foundation
import LinuxSystem

/// What each proposal was based on, kept beside the catalog (`FILE.evidence.json`) so a
/// reviewer can see the process features that led to it. Advisory: a missing or unreadable
/// file only means the review shows no features.
public struct Evidence: Codable, Sendable {
    public var schema = "schedcat.evidence/v1"
    /// Keyed by the rule identity's description.
    public var processes: [String: ProcessFeatures] = [:]

    public init() {}

    public static func path(for catalog: String) -> String { catalog + ".evidence.json" }

    /// The evidence beside `catalog`; empty when it is missing, unreadable, or could have been
    /// written by another user (a reviewer must not be shown planted features).
    public static func load(for catalog: String) -> Evidence {
        guard let bytes = try? PolicyFileReader.read(path(for: catalog), trusted: true),
              let evidence = try? JSONDecoder().decode(Evidence.self, from: Data(bytes)) else { return Evidence() }
        return evidence
    }

    public func features(of identity: RuleIdentity) -> ProcessFeatures? { processes[identity.description] }

    func save(for catalog: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let data = try encoder.encode(self)
        do {
            try AtomicFile.write(Array(data), to: Self.path(for: catalog), existing: .replace(keepBackup: false))
        } catch {
            throw CatalogIOError("\(error)")
        }
    }
}
