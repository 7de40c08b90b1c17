// SPDX-License-Identifier: Apache-2.0
import Foundation
import LinuxSystem

/// Read-modify-write of a catalog file that loses nothing when several schedcat processes
/// (the daemon's generate, a person's review) change it at once: an exclusive lock on
/// `FILE.lock`, a fresh read under the lock, and a retry if the file changed under us anyway
/// (an editor does not take our lock).
public enum CatalogStore {
    public struct Outcome: Sendable {
        public var document: CatalogDocument
        public var written: Bool
        /// Rules whose fingerprint showed a person's edit; they are now `source: human`.
        public var handEdited: [String]
    }

    /// Runs `change` on the current content of `path` and writes the result atomically if it
    /// changed. A missing file starts as `CatalogDocument.newFileText` when `createIfMissing`.
    @discardableResult
    public static func update(_ path: String, createIfMissing: Bool = false,
                              _ change: (inout CatalogDocument) throws -> Void) throws -> Outcome {
        let lock: ExclusiveLock
        do {
            lock = try ExclusiveLock(beside: path)
        } catch {
            throw CatalogIOError("\(error); cannot lock \(path) for the update, nothing written")
        }
        defer { lock.release() }
        for _ in 0..<5 {
            let exists = FileManager.default.fileExists(atPath: path)
            guard exists || createIfMissing else { throw CatalogIOError("\(path): no such catalog") }
            let original = exists ? try CatalogFile.readText(path) : ""
            var document = try CatalogDocument(text: exists ? original : CatalogDocument.newFileText, file: path)
            let handEdited = markHandEdits(&document)
            try document.commit()
            try change(&document)
            try document.commit()
            guard !exists || document.text != original else {
                return Outcome(document: document, written: false, handEdited: handEdited)
            }
            let current = exists ? (try? CatalogFile.readText(path, checkOwnership: false)) : nil
            if exists && current != original { continue }
            try CatalogFile.writeAtomically(document.text, to: path)
            return Outcome(document: document, written: true, handEdited: handEdited)
        }
        throw CatalogIOError("\(path): keeps changing while schedcat updates it; nothing written")
    }

    /// Rules schedcat generated (with `fp`) that a person has since edited become `source: human`,
    /// without a fingerprint, so no later generate or review mistakes them for its own.
    static func markHandEdits(_ document: inout CatalogDocument) -> [String] {
        var names: [String] = []
        for (index, rule) in document.catalog.rules.enumerated() where RuleFingerprint.wasEditedByHand(rule) {
            var human = rule
            human.source = .human
            human.fingerprint = nil
            document.replaceRule(at: index, with: human)
            names.append(rule.name)
        }
        return names
    }
}
