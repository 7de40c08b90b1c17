// SPDX-License-Identifier: Apache-2.0
import Catalog

/// What the classic backend applies to one process: every key of the rule's effective values
/// (not only the CPU-relevant ones the BPF classes carry), with `cpus` resolved to CPU numbers.
public struct ClassicDecision: Sendable, Hashable {
    public var rule: String
    public var ruleLine: Int?
    public var type: String?
    /// nil values: leave that setting as it is.
    public var values: SchedValues
    public var cpus: [Int]?
    public var boostWithheld: Bool
    /// false: only a name vouches, so the values may demote the process but never favour it.
    public var identityVouched: Bool

    /// The catalog file the rule comes from.
    public var file: String

    /// "pipewire (LowLatency_RT) at catalog.yaml:12" for logs.
    public var description: String {
        "\(rule) (\(type ?? "custom"))" + (ruleLine.map { " at \(file):\($0)" } ?? "")
    }
}

/// The catalog as the classic (setpriority/ioprio/affinity) backend reads it: the same matcher
/// as everywhere, so the most specific rule wins and a name alone never earns a boost.
public struct ClassicPolicy: Sendable {
    private let matcher: RuleMatcher
    private let statuses: Set<RuleStatus>
    private let topology: CPUTopology
    private let file: String

    /// `file`: where the catalog came from, named in every decision.
    public init(catalog: Catalog, file: String, includeProposed: Bool = false, topology: CPUTopology = .read()) {
        self.file = file
        matcher = RuleMatcher(catalog)
        statuses = includeProposed ? [.accepted, .proposed, .rejected] : [.accepted, .rejected]
        self.topology = topology
    }

    /// The decision for a process, or nil when no rule applies (or a rejected rule matches).
    public func decide(_ facts: ProcessFacts) -> ClassicDecision? {
        guard let match = matcher.match(facts, statuses: statuses), match.rule.status != .rejected else { return nil }
        let cpus = topology.resolve(match.values.cpus)
        return ClassicDecision(rule: match.rule.name, ruleLine: match.rule.location?.line, type: match.rule.type,
                               values: match.values, cpus: cpus, boostWithheld: match.boostWithheld,
                               identityVouched: match.identityVouched, file: file)
    }
}
