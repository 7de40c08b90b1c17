// SPDX-License-Identifier: Apache-2.0
import Catalog

/// One thing the audit found wrong, with the numbers behind it and the rule it is about.
public struct Finding: Sendable, Codable, Hashable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// A demoted process that behaves interactively and waits longer than it runs.
        case nerfed
        /// A boosted process that keeps a CPU busy while others wait for one.
        case hog
        /// A process that inherited a launcher rule's demotion, has no rule of its own, and is interactive.
        case leaked
        /// A rule whose values are not in force on the processes it matches.
        case ineffective
        /// A rule that matched no process for `AuditThresholds.idleRuleDays` days of daemon ticks.
        case idleRule = "idle-rule"
    }

    public var kind: Kind
    /// The process (nil for rule-level findings: ineffective lists its pids, idle rules have none).
    public var pid: Int32?
    public var comm: String?
    public var pids: [Int32]?
    /// The rule concerned: the matching rule, or for `leaked` the launcher's rule.
    public var rule: String
    public var ruleIdentity: String
    public var ruleType: String?
    public var ruleSource: String
    /// "catalog.yaml:12".
    public var ruleLocation: String?
    public var behaviour: Behaviour?
    /// What is wrong, in words, with the numbers.
    public var detail: String
    /// The type the audit would propose (never a boost); nil: flag only.
    public var proposedType: String?

    enum CodingKeys: String, CodingKey {
        case kind, pid, comm, pids, rule, ruleIdentity = "rule_identity", ruleType = "rule_type", ruleSource = "rule_source"
        case ruleLocation = "rule_location", behaviour, detail, proposedType = "proposed_type"
    }

    init(kind: Kind, rule: Rule, file: String, detail: String) {
        self.kind = kind
        self.rule = rule.name
        ruleIdentity = rule.identity.description
        ruleType = rule.type
        ruleSource = rule.source.rawValue
        ruleLocation = rule.location.map { "\(file):\($0.line)" }
        self.detail = detail
    }
}
