// SPDX-License-Identifier: Apache-2.0
import Catalog
import Foundation

/// The daemon's audit: one window per tick, the rules that matched recorded for idle-rule
/// detection, the report kept as the last audit.
public enum AuditTick {
    public struct Outcome: Sendable {
        public var report: AuditReport?
        /// A catalog that cannot be read, or state that cannot be saved; the daemon logs it and goes on.
        public var errors: [String] = []
    }

    public static func run(catalogPath: String, window: Duration, state: AuditStateFiles = .fromEnvironment) async -> Outcome {
        var outcome = Outcome()
        // the daemon's first tick creates the catalog
        guard FileManager.default.fileExists(atPath: catalogPath) else { return outcome }
        let catalog: Catalog
        do {
            catalog = try CatalogFile.load(catalogPath)
        } catch {
            outcome.errors.append("audit skipped: \(error)")
            return outcome
        }
        let auditor = Auditor(catalog: catalog, file: catalogPath)
        let started = auditor.begin()
        try? await Task.sleep(for: window)
        var history = state.history() ?? AuditHistory(since: Date())
        history.record(auditor.matchedRules(started), at: Date())
        let report = auditor.finish(started, history: history)
        outcome.report = report
        do {
            try state.save(history: history)
            try state.save(lastAudit: report)
        } catch {
            outcome.errors.append("audit state not saved in \(state.directory): \(error)")
        }
        return outcome
    }
}

extension AuditStateFiles {
    /// The last audit, when it was about `catalogPath` and found something: for the commands
    /// that point to `catalog audit`.
    public func lastFindings(for catalogPath: String) -> AuditReport? {
        guard let report = lastAudit(), !report.findings.isEmpty, Self.samePath(report.catalog, catalogPath) else { return nil }
        return report
    }

    static func samePath(_ a: String, _ b: String) -> Bool {
        URL(fileURLWithPath: a).standardizedFileURL.path == URL(fileURLWithPath: b).standardizedFileURL.path
    }

    /// The last audit, when it was about `catalogPath`.
    public func lastAudit(of catalogPath: String) -> AuditReport? {
        lastAudit().flatMap { Self.samePath($0.catalog, catalogPath) ? $0 : nil }
    }
}

extension AuditReport {
    /// What this audit said about process `pid` (named `comm`): the kinds of its findings, "ok"
    /// when it was sampled and found fine, nil when it was not audited.
    public func verdict(pid: Int32, comm: String) -> String? {
        let report = self
        let kinds = report.findings.filter { ($0.pid == pid && $0.comm == comm) || ($0.pids?.contains(pid) ?? false) }.map(\.kind.rawValue)
        if !kinds.isEmpty { return kinds.joined(separator: "+") }
        return report.observed.contains { $0.pid == pid && $0.comm == comm } ? "ok" : nil
    }
}
