// SPDX-License-Identifier: Apache-2.0
/// The schema tag every catalog file starts with.
public let catalogSchema = "schedcat.catalog/v1"

/// A named set of values (ananicy's "type").
public struct CatalogType: Sendable, Hashable {
    public var name: String
    public var values: SchedValues
    public var description: String?

    public init(name: String, values: SchedValues, description: String? = nil) {
        self.name = name
        self.values = values
        self.description = description
    }
}

public enum RuleStatus: String, Sendable, CaseIterable, Codable {
    case accepted, proposed, rejected
}

public enum RuleSource: String, Sendable, CaseIterable, Codable {
    case human, model, ananicy, heuristic, audit
}

/// Where a value came from in a file, for error messages and text patching.
public struct FilePosition: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
    public var description: String { "\(line):\(column)" }
}

/// The identity part of a rule: which processes it is about. The name, plus at most one
/// condition of each kind (`RuleCondition`), kept in kind order.
public struct RuleIdentity: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public private(set) var conditions: [RuleCondition]

    public init(name: String, conditions: [RuleCondition] = []) {
        self.name = name
        self.conditions = []
        for condition in conditions { set(condition) }
    }

    public init(name: String, exe: String? = nil, cmdline: [String]? = nil, cgroup: String? = nil) {
        self.init(name: name, conditions: [exe.map(RuleCondition.exe), cmdline.map(RuleCondition.cmdline),
                                           cgroup.map(RuleCondition.cgroup)].compactMap { $0 })
    }

    public func condition(_ kind: RuleCondition.Kind) -> RuleCondition? { conditions.first { $0.kind == kind } }

    /// Adds or replaces the condition of its kind.
    public mutating func set(_ condition: RuleCondition) {
        remove(condition.kind)
        conditions.append(condition)
        conditions.sort { RuleCondition.Kind.allCases.firstIndex(of: $0.kind)! < RuleCondition.Kind.allCases.firstIndex(of: $1.kind)! }
    }

    public mutating func remove(_ kind: RuleCondition.Kind) { conditions.removeAll { $0.kind == kind } }

    /// The exe pin, which review and generate set and clear.
    public var exe: String? {
        get { if case .exe(let path)? = condition(.exe) { path } else { nil } }
        set { if let newValue { set(.exe(newValue)) } else { remove(.exe) } }
    }

    public var description: String { ([name] + conditions.map(\.description)).joined(separator: " ") }
}

/// One rule: a process identity mapped to a type, with overrides and provenance.
public struct Rule: Sendable, Hashable {
    public var identity: RuleIdentity
    public var type: String?
    public var overrides: SchedValues
    public var status: RuleStatus
    public var source: RuleSource
    public var model: String?
    public var reason: String?
    /// How sure the model was of the type (0..1, from its token probabilities), when the server said.
    /// Provenance only: not part of the fingerprint, so catalogs written before it keep theirs.
    public var confidence: Double?
    public var seen: String?
    /// Hash of the form schedcat generated; a mismatch means a person edited the rule.
    public var fingerprint: String?
    /// false: never match by the 15-character truncated comm, only by full argv[0]/exe name.
    public var matchTruncated: Bool
    /// Where the rule's mapping starts in its file (nil for rules built in memory).
    public var location: FilePosition?

    public init(identity: RuleIdentity, type: String?, overrides: SchedValues = SchedValues(),
                status: RuleStatus = .accepted, source: RuleSource = .human, model: String? = nil,
                reason: String? = nil, seen: String? = nil, fingerprint: String? = nil,
                matchTruncated: Bool = true, location: FilePosition? = nil, confidence: Double? = nil) {
        self.identity = identity
        self.type = type
        self.overrides = overrides
        self.status = status
        self.source = source
        self.model = model
        self.reason = reason
        self.confidence = confidence
        self.seen = seen
        self.fingerprint = fingerprint
        self.matchTruncated = matchTruncated
        self.location = location
    }

    public var name: String { identity.name }

    /// A change `catalog audit` proposes (to the rule with the same identity, or a new rule for a
    /// process no rule covers) that no person has accepted yet. It may share its identity with
    /// the rule it would change; no matcher, compiler or export uses it, only review shows it.
    public var isAuditAmendment: Bool { source == .audit && status != .accepted }

    /// A confidence as the catalog writes it: two decimals.
    public static func confidenceText(_ value: Double) -> String {
        let hundredths = Int((min(max(value, 0), 1) * 100).rounded())
        return hundredths == 100 ? "1.00" : "0." + (hundredths < 10 ? "0" : "") + "\(hundredths)"
    }

    public static let keys: Set<String> = SchedValues.keys.union(RuleCondition.Kind.allCases.map(\.rawValue)).union([
        "name", "type", "status", "source", "model", "reason", "confidence", "seen", "fp", "match_truncated",
    ])
}

/// A parsed catalog: the types in effect (defaults merged with the file's) and the rules in file order.
public struct Catalog: Sendable {
    public var types: [String: CatalogType]
    /// Type names in the order they are shown: defaults first, then the file's own additions.
    public var typeOrder: [String]
    public var rules: [Rule]
    /// Type names the file itself defines (the rest are inherited defaults).
    public var fileTypeNames: Set<String>

    public init(types: [CatalogType], rules: [Rule], fileTypeNames: Set<String> = []) {
        self.types = Dictionary(types.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
        var order: [String] = []
        for type in types where !order.contains(type.name) { order.append(type.name) }
        self.typeOrder = order
        self.rules = rules
        self.fileTypeNames = fileTypeNames
    }

    public var orderedTypes: [CatalogType] { typeOrder.compactMap { types[$0] } }

    /// The rule an audit amendment would change (same identity), or nil for a new rule.
    public func amendedRule(of amendment: Rule) -> Rule? {
        guard amendment.isAuditAmendment else { return nil }
        return rules.first { $0.identity == amendment.identity && !$0.isAuditAmendment }
    }

    /// Which way a type moves a process; an unknown or missing type moves it nowhere.
    public func direction(ofType type: String?) -> PriorityDirection {
        type.flatMap { types[$0]?.values.direction } ?? .neutral
    }

    /// The type a proposal falls back to when the evidence contradicts the advisor: `IN_DIFF`
    /// when the catalog has it and it moves nothing; nil (unknown) otherwise.
    public var neutralType: String? {
        types["IN_DIFF"].flatMap { $0.values.direction == .neutral ? $0.name : nil }
    }

    /// The values a rule applies: its type's values overridden by the rule's own keys.
    public func effectiveValues(of rule: Rule) -> SchedValues {
        let base = rule.type.flatMap { types[$0]?.values } ?? SchedValues()
        return base.overridden(by: rule.overrides)
    }
}
