// SPDX-License-Identifier: Apache-2.0
import Catalog

/// Why a process gets the priority it gets: the rule that matched, how, and the values.
public struct Explanation: Sendable, Encodable {
    public var pid: Int32
    public var comm: String
    public var exe: String?
    /// The matching rule's name, or nil when no rule matches.
    public var rule: String?
    public var type: String?
    public var status: String?
    public var source: String?
    /// How the name matched: argv0, exe, comm or truncated-comm.
    public var matchedBy: String?
    /// Conditions beyond the name that held: exe, cmdline, cgroup.
    public var conditions: [String]
    public var nice: Int?
    public var values: SchedValues?
    public var boostWithheld: Bool
    /// Why a boost was withheld, in words.
    public var withheldBecause: String?
    public var ruleLine: Int?
    /// What the last `catalog audit` of this catalog said about the process (set by the caller).
    public var audit: String?

    /// Which way the applied values move the process (neutral when nothing is applied).
    public var direction: PriorityDirection { values?.direction ?? .neutral }

    enum CodingKeys: String, CodingKey {
        case pid, comm, exe, rule, type, status, source, matchedBy = "matched_by", conditions, nice, values
        case boostWithheld = "boost_withheld", withheldBecause = "withheld_because", ruleLine = "rule_line", audit, direction
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(pid, forKey: .pid)
        try container.encode(comm, forKey: .comm)
        try container.encode(exe, forKey: .exe)
        try container.encode(rule, forKey: .rule)
        try container.encode(type, forKey: .type)
        try container.encode(status, forKey: .status)
        try container.encode(source, forKey: .source)
        try container.encode(matchedBy, forKey: .matchedBy)
        try container.encode(conditions, forKey: .conditions)
        try container.encode(nice, forKey: .nice)
        try container.encode(values, forKey: .values)
        try container.encode(boostWithheld, forKey: .boostWithheld)
        try container.encode(withheldBecause, forKey: .withheldBecause)
        try container.encode(ruleLine, forKey: .ruleLine)
        try container.encode(audit, forKey: .audit)
        try container.encode(direction, forKey: .direction)
    }
}

public enum Explainer {
    /// One explanation per process (kernel threads left out). Rejected rules match too: they
    /// explain why nothing is applied. Proposed rules count only with `includeProposed`.
    public static func explain(_ processes: [ProcessFeatures], catalog: Catalog, includeProposed: Bool) -> [Explanation] {
        let matcher = RuleMatcher(catalog)
        let statuses: Set<RuleStatus> = includeProposed ? [.accepted, .proposed, .rejected] : [.accepted, .rejected]
        return processes.filter { !$0.kernelThread }.map { process in
            guard let match = matcher.match(process.identity, statuses: statuses) else {
                return Explanation(pid: process.pid, comm: process.comm, exe: process.exe, conditions: [], boostWithheld: false)
            }
            let applied = match.rule.status == .rejected ? nil : match.values
            return Explanation(pid: process.pid, comm: process.comm, exe: process.exe, rule: match.rule.name,
                               type: match.rule.type, status: match.rule.status.rawValue, source: match.rule.source.rawValue,
                               matchedBy: match.via.rawValue, conditions: match.conditions, nice: applied?.nice,
                               values: applied, boostWithheld: match.boostWithheld,
                               withheldBecause: match.withheld?.explanation, ruleLine: match.rule.location?.line)
        }
    }
}
