// SPDX-License-Identifier: Apache-2.0
/// A person's decision about one proposed rule, applied by rule identity so it survives a
/// re-read of a file that changed meanwhile (the daemon may have appended rules).
public enum ReviewDecision: Sendable, Hashable {
    case accept
    case reject
    case setType(String)
    case pinExe(String)
    case unpinExe

    /// accept, reject, retype or pin: for counting.
    public var kind: String {
        switch self {
        case .accept: return "accept"
        case .reject: return "reject"
        case .setType: return "retype"
        case .pinExe, .unpinExe: return "pin"
        }
    }
}

public struct ReviewOutcome: Sendable {
    public var applied: [(RuleIdentity, ReviewDecision)] = []
    /// Decisions whose rule is gone or no longer proposed.
    public var stale: [RuleIdentity] = []
    public init() {}

    public func count(_ kind: String) -> Int { applied.filter { $0.1.kind == kind }.count }
}

extension CatalogDocument {
    /// Applies `decisions` (in order, per rule) to the rules they name. Accept and reject keep the
    /// rule's provenance; a changed type or exe pin is a person's edit and makes it `source: human`.
    /// Rules schedcat still owns get a fresh fingerprint; human rules carry none.
    public mutating func apply(_ decisions: [(RuleIdentity, [ReviewDecision])]) -> ReviewOutcome {
        var outcome = ReviewOutcome()
        for (identity, steps) in decisions {
            // an audit's proposed change shares its identity with the rule it would change: the proposal is meant
            guard let index = catalog.rules.firstIndex(where: { $0.identity == identity && $0.status == .proposed })
                      ?? catalog.rules.firstIndex(where: { $0.identity == identity }),
                  catalog.rules[index].status == .proposed || steps.allSatisfy({ if case .setType = $0 { return true }; return false })
            else {
                outcome.stale.append(identity)
                continue
            }
            if catalog.rules[index].isAuditAmendment,
               let target = catalog.rules.firstIndex(where: { $0.identity == identity && !$0.isAuditAmendment }) {
                applyAmendment(at: index, to: target, steps, &outcome)
                continue
            }
            var rule = catalog.rules[index]
            for step in steps {
                switch step {
                case .accept: rule.status = .accepted
                case .reject: rule.status = .rejected
                case .setType(let type):
                    rule.type = type
                    rule.source = .human
                case .pinExe(let exe):
                    rule.identity.exe = exe
                    rule.source = .human
                case .unpinExe:
                    rule.identity.exe = nil
                    rule.source = .human
                }
                outcome.applied.append((identity, step))
            }
            rule.fingerprint = nil
            if rule.source != .human { rule = RuleFingerprint.stamped(rule) }
            replaceRule(at: index, with: rule)
        }
        return outcome
    }
}

extension CatalogDocument {
    /// A decision about an audit's proposed change to an existing rule. Accepting it gives the
    /// rule the proposed type (and drops the rule's own value overrides, which the proposal
    /// replaces) and removes the proposal; rejecting keeps it as `rejected`, so that the next audit
    /// does not propose it again.
    mutating func applyAmendment(at index: Int, to target: Int, _ steps: [ReviewDecision], _ outcome: inout ReviewOutcome) {
        var amendment = catalog.rules[index]
        var accepted = false
        for step in steps {
            switch step {
            case .accept: accepted = true
            case .reject: amendment.status = .rejected
            case .setType(let type): amendment.type = type
            case .pinExe, .unpinExe: continue
            }
            outcome.applied.append((amendment.identity, step))
        }
        guard accepted else {
            amendment.fingerprint = nil
            replaceRule(at: index, with: RuleFingerprint.stamped(amendment))
            return
        }
        var rule = catalog.rules[target]
        rule.type = amendment.type
        rule.overrides = amendment.overrides
        rule.reason = amendment.reason
        rule.fingerprint = nil
        if rule.source != .human { rule = RuleFingerprint.stamped(rule) }
        replaceRule(at: target, with: rule)
        removeRule(at: index)
    }
}

/// Rules added, removed and changed between two catalogs, compared by identity and effective values.
public struct CatalogDiff: Sendable {
    public struct Change: Sendable {
        public var identity: RuleIdentity
        public var before: Rule
        public var after: Rule
        public var beforeValues: SchedValues
        public var afterValues: SchedValues
    }
    public var added: [(Rule, SchedValues)] = []
    public var removed: [(Rule, SchedValues)] = []
    public var changed: [Change] = []

    public init(old oldCatalog: Catalog, new newCatalog: Catalog) {
        // audit amendments are proposals about rules, not rules: `catalog review` shows them
        let old = Catalog(types: oldCatalog.orderedTypes, rules: oldCatalog.rules.filter { !$0.isAuditAmendment },
                          fileTypeNames: oldCatalog.fileTypeNames)
        let new = Catalog(types: newCatalog.orderedTypes, rules: newCatalog.rules.filter { !$0.isAuditAmendment },
                          fileTypeNames: newCatalog.fileTypeNames)
        let oldRules = Dictionary(old.rules.map { ($0.identity, $0) }, uniquingKeysWith: { first, _ in first })
        let newRules = Dictionary(new.rules.map { ($0.identity, $0) }, uniquingKeysWith: { first, _ in first })
        for rule in new.rules {
            guard let before = oldRules[rule.identity] else {
                added.append((rule, new.effectiveValues(of: rule)))
                continue
            }
            let beforeValues = old.effectiveValues(of: before), afterValues = new.effectiveValues(of: rule)
            if beforeValues != afterValues || before.status != rule.status || before.type != rule.type
                || before.matchTruncated != rule.matchTruncated {
                changed.append(Change(identity: rule.identity, before: before, after: rule,
                                      beforeValues: beforeValues, afterValues: afterValues))
            }
        }
        removed = old.rules.filter { newRules[$0.identity] == nil }.map { ($0, old.effectiveValues(of: $0)) }
    }

    public var isEmpty: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty }
}
