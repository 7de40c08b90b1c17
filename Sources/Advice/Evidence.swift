import Catalog
import Foundation

/// What each proposal was based on, kept beside the catalog (`FILE.evidence.json`) so a
/// reviewer can see the process features that led to it. Advisory: a missing or unreadable
/// file only means the review shows no features.
public struct Evidence: Codable, Sendable {
    public var schema = "schedcat.evidence/v1"
    /// Keyed by the rule identity's description.
    public var processes: [String: ProcessFeatures] = [:]

    public init() {}

    public static func path(for catalog: String) -> String { catalog + ".evidence.json" }

    public static func load(for catalog: String) -> Evidence {
        guard let data = FileManager.default.contents(atPath: path(for: catalog)),
              let evidence = try? JSONDecoder().decode(Evidence.self, from: data) else { return Evidence() }
        return evidence
    }

    public func features(of identity: RuleIdentity) -> ProcessFeatures? { processes[identity.description] }

    func save(for catalog: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try encoder.encode(self).write(to: URL(fileURLWithPath: Self.path(for: catalog)), options: .atomic)
    }
}
