// SPDX-License-Identifier: Apache-2.0
import Catalog
import Foundation

/// `catalog audit --propose`: findings become proposals (`status: proposed`, `source: audit`,
/// the evidence as the reason) that `catalog review` shows beside the rule they would change.
/// Nothing is applied until a person accepts it; rules a person wrote are only flagged.
public enum AuditProposals {
    public struct Outcome: Sendable {
        /// "name: IN_DIFF (nerfed)" for each proposal written.
        public var written: [String] = []
        /// Findings left as flags: a human rule, no type to propose, or already proposed or rejected.
        public var flagged: [String] = []
    }

    public static func write(_ report: AuditReport, to path: String, seen: String) throws -> Outcome {
        var outcome = Outcome()
        try CatalogStore.update(path) { document in
            var fresh: [Rule] = []
            for finding in report.findings {
                guard let rule = proposal(for: finding, in: document.catalog, pending: fresh, seen: seen) else {
                    outcome.flagged.append("\(finding.kind.rawValue) \(finding.rule)")
                    continue
                }
                fresh.append(rule)
                outcome.written.append("\(rule.name): \(rule.type ?? "-") (\(finding.kind.rawValue))")
            }
            document.append(fresh)
        }
        return outcome
    }

    /// The proposal a finding becomes, or nil when it may only be flagged.
    static func proposal(for finding: Finding, in catalog: Catalog, pending: [Rule], seen: String) -> Rule? {
        guard let type = finding.proposedType, catalog.types[type] != nil else { return nil }
        let identity: RuleIdentity
        switch finding.kind {
        case .nerfed, .hog:
            guard let target = catalog.rules.first(where: { $0.identity.description == finding.ruleIdentity && !$0.isAuditAmendment }),
                  target.source != .human, target.status == .accepted else { return nil }
            identity = target.identity
        case .leaked:
            // the child gets a rule of its own; the launcher's rule stays as it is
            // a process names itself: one called "a/b" must not make the whole catalog invalid
            guard let comm = finding.comm, CatalogParser.nameProblem(comm) == nil else { return nil }
            identity = RuleIdentity(name: comm)
            guard !catalog.rules.contains(where: { $0.identity == identity && !$0.isAuditAmendment }) else { return nil }
        case .ineffective, .idleRule:
            return nil
        }
        // one proposal per rule; a rejected one stays rejected
        guard !(catalog.rules + pending).contains(where: { $0.identity == identity && $0.isAuditAmendment }) else { return nil }
        let reason = "audit \(finding.kind.rawValue)" + (finding.pid.map { " pid \($0)" } ?? "") + ": \(finding.detail)"
        return RuleFingerprint.stamped(Rule(identity: identity, type: type, status: .proposed, source: .audit,
                                            reason: reason, seen: seen))
    }
}
