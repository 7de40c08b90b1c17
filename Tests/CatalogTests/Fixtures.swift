import Foundation
import Testing

/// Paths and data shared by the catalog tests.
enum Fixtures {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// The real CachyOS ananicy-rules tree: $SCHEDCAT_ANANICY_RULES or ../shared/data/ananicy-rules.
    static let ananicyRules: String? = {
        let candidates = [ProcessInfo.processInfo.environment["SCHEDCAT_ANANICY_RULES"],
                          packageRoot + "/../shared/data/ananicy-rules"].compactMap { $0 }
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/00-types.types") }
    }()

    static var inCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// In CI the CachyOS tree must be there; elsewhere its tests are skipped, visibly.
    static var ananicyAvailable: Bool {
        if ananicyRules == nil && inCI {
            Issue.record("CI=true but the CachyOS ananicy-rules tree is missing (set SCHEDCAT_ANANICY_RULES)")
        }
        return ananicyRules != nil
    }

    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "schedcat-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
