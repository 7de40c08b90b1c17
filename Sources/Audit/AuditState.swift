// SPDX-License-Identifier: Apache-2.0
import Catalog
import Foundation
import LinuxSystem

/// Where the audit keeps what outlives one run: the rules' match history (for idle rules) and
/// the last audit (for `scheduler status`, `apply` and `catalog explain`). Persistent, since
/// idle rules are counted in days: `/var/lib/schedcat`, or `$SCHEDCAT_AUDIT_DIR`.
public struct AuditStateFiles: Sendable {
    public var directory: String

    public init(directory: String) {
        self.directory = directory
    }

    public static var fromEnvironment: AuditStateFiles {
        AuditStateFiles(directory: ProcessInfo.processInfo.environment["SCHEDCAT_AUDIT_DIR"] ?? "/var/lib/schedcat")
    }

    public var historyPath: String { directory + "/audit-history.json" }
    public var lastAuditPath: String { directory + "/audit-last.json" }

    /// The last audit, or nil when there is none (or it is unreadable or written by another user).
    public func lastAudit() -> AuditReport? { read(lastAuditPath) }

    public func history() -> AuditHistory? { read(historyPath) }

    public func save(lastAudit report: AuditReport) throws { try write(report, to: lastAuditPath) }

    public func save(history: AuditHistory) throws { try write(history, to: historyPath) }

    private func read<T: Decodable>(_ path: String) -> T? {
        guard let bytes = try? PolicyFileReader.read(path, trusted: true) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(T.self, from: Data(bytes))
    }

    private func write<T: Encodable>(_ value: T, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        let directory = try CheckedDirectory(self.directory, create: true)
        try AtomicFile.write(Array(try encoder.encode(value)), name: CheckedDirectory.split(path).name, in: directory,
                             existing: .replace(keepBackup: false))
    }
}

/// When each rule last matched a process in a daemon tick; a rule unmatched for
/// `AuditThresholds.idleRuleDays` is an idle rule.
public struct AuditHistory: Sendable, Codable {
    /// The first tick recorded: a rule never matched is idle only once the history is that old.
    public var since: Date
    /// Rule identity (as `RuleIdentity.description`) -> the last tick it matched.
    public var lastMatched: [String: Date]

    public init(since: Date) {
        self.since = since
        lastMatched = [:]
    }

    public mutating func record(_ identities: Set<String>, at date: Date) {
        for identity in identities { lastMatched[identity] = date }
    }

    /// Accepted rules that matched nothing for the idle period, with their last match.
    public func idleRules(_ catalog: Catalog, now: Date) -> [(Rule, Date?)] {
        let limit = now.addingTimeInterval(-Double(AuditThresholds.idleRuleDays) * 86_400)
        guard since <= limit else { return [] }
        return catalog.rules.compactMap { rule in
            guard rule.status == .accepted else { return nil }
            let last = lastMatched[rule.identity.description]
            return (last ?? since) <= limit ? (rule, last) : nil
        }
    }

    static func day(_ date: Date) -> String { String(ISO8601DateFormatter().string(from: date).prefix(10)) }
}
