// SPDX-License-Identifier: Apache-2.0
import Foundation
import TestSupport
import Testing

/// Paths and data shared by the catalog tests.
enum Fixtures {
    static let packageRoot = Schedcat.packageRoot
    static let ananicyRules = Schedcat.ananicyRules

    /// The tree's path; a missing tree fails the calling test (it comes with every clone, so it is never a skip).
    static func ananicyTree(sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try #require(FileManager.default.fileExists(atPath: ananicyRules + "/00-types.types"),
                     "no CachyOS ananicy-rules tree at \(ananicyRules) (data/cachyos-ananicy-rules or $SCHEDCAT_ANANICY_RULES)",
                     sourceLocation: sourceLocation)
        return ananicyRules
    }

    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "schedcat-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
