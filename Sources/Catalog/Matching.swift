// SPDX-License-Identifier: Apache-2.0
import Foundation
import LinuxSystem

/// What the matcher needs to know about a process. Built from /proc by later stages.
public struct ProcessIdentity: Sendable, Hashable {
    public var comm: String
    public var argv: [String]
    /// The executable's path as the process's own mount namespace shows it: a name, not an identity.
    public var exe: String?
    public var cgroup: String?
    /// The file the process runs (`stat("/proc/PID/exe")`): its identity, whatever the path says.
    public var exeFile: FileIdentity?

    public init(comm: String, argv: [String] = [], exe: String? = nil, cgroup: String? = nil, exeFile: FileIdentity? = nil) {
        self.comm = comm
        self.argv = argv
        self.exe = exe
        self.cgroup = cgroup
        self.exeFile = exeFile
    }

    /// Base name of a path, splitting on `/` and on Wine's `\`.
    public static func basename(_ path: String) -> String {
        let last = path.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last
        return last.map(String.init) ?? path
    }

    public var argv0Name: String? { argv.first.map(Self.basename).flatMap { $0.isEmpty ? nil : $0 } }
    public var exeName: String? { exe.map(Self.basename) }
}

/// Why a boosting rule's boost does not apply to a process.
public enum BoostWithheld: String, Sendable, Codable {
    /// No exe pin, and the running file is not the system's file of the rule's name.
    case nameOnly = "name-only"
    /// The rule pins an interpreter or shell, which runs whatever it is given.
    case interpreterPin = "interpreter-pin"

    public var explanation: String {
        switch self {
        case .nameOnly: "only the name vouches: the process does not run the system's root-owned file of that name"
        case .interpreterPin: "the exe pin is an interpreter or shell, which vouches for no program"
        }
    }
}

/// How a rule's name matched a process.
public enum NameMatch: String, Sendable, Codable {
    case argv0, exe, comm, truncatedComm = "truncated-comm"
}

public struct RuleMatch: Sendable {
    public var ruleIndex: Int
    public var rule: Rule
    public var via: NameMatch
    /// Conditions beyond the name that held (exe, cmdline, cgroup).
    public var conditions: [String]
    /// The values to apply. Boosts are removed when only a name vouches for the process.
    public var values: SchedValues
    public var withheld: BoostWithheld?
    public var boostWithheld: Bool { withheld != nil }
    /// The process's identity vouches for the rule (see `boostWithheld(_:_:)`); without it the
    /// rule may only demote, never favour the process, not even relative to what it has now.
    public var identityVouched: Bool
}

/// Finds the rule for a process: the most specific matching rule, earliest in the file on ties.
public struct RuleMatcher: Sendable {
    public let catalog: Catalog
    public let trust: ExecutableTrust
    private let byName: [String: [Int]]
    private let byTruncated: [CommKey: [Int]]

    public init(_ catalog: Catalog, trust: ExecutableTrust = ExecutableTrust()) {
        self.catalog = catalog
        self.trust = trust
        var byName: [String: [Int]] = [:]
        var byTruncated: [CommKey: [Int]] = [:]
        for (index, rule) in catalog.rules.enumerated() where !rule.isAuditAmendment {
            byName[rule.name, default: []].append(index)
            if rule.name.utf8.count > CommKey.length && rule.matchTruncated {
                byTruncated[CommKey(rule.name), default: []].append(index)
            }
        }
        self.byName = byName
        self.byTruncated = byTruncated
    }

    /// `statuses`: which rules count (rejected rules match too, and then nothing is applied).
    public func match(_ process: ProcessIdentity, statuses: Set<RuleStatus> = [.accepted, .rejected]) -> RuleMatch? {
        var candidates: [(Int, NameMatch)] = []
        func add(_ indices: [Int]?, _ via: NameMatch) {
            for index in indices ?? [] where !candidates.contains(where: { $0.0 == index }) {
                candidates.append((index, via))
            }
        }
        if let argv0 = process.argv0Name { add(byName[argv0], .argv0) }
        if let exeName = process.exeName { add(byName[exeName], .exe) }
        add(byName[process.comm], .comm)
        if process.comm.utf8.count == CommKey.length { add(byTruncated[CommKey(process.comm)], .truncatedComm) }

        var best: (index: Int, via: NameMatch, conditions: [String])?
        for (index, via) in candidates.sorted(by: { $0.0 < $1.0 }) {
            let rule = catalog.rules[index]
            guard statuses.contains(rule.status), let conditions = conditionsHold(rule.identity, process) else { continue }
            if best == nil || conditions.count > best!.conditions.count {
                best = (index, via, conditions)
            }
        }
        guard let best else { return nil }
        let rule = catalog.rules[best.index]
        var values = rule.status == .rejected ? SchedValues() : catalog.effectiveValues(of: rule)
        let unvouched = rule.status == .rejected ? nil : boostWithheld(rule, process)
        let withheld = values.boosts ? unvouched : nil
        if withheld != nil { values = values.withoutBoost }
        return RuleMatch(ruleIndex: best.index, rule: rule, via: best.via, conditions: best.conditions,
                         values: values, withheld: withheld, identityVouched: unvouched == nil)
    }

    /// The one definition of what vouches for a boost: an exe pin that is no interpreter (the
    /// exe condition has already compared the running file with the pinned one), or, without a
    /// pin, the running file being one of the system's files of the rule's name.
    func boostWithheld(_ rule: Rule, _ process: ProcessIdentity) -> BoostWithheld? {
        if let pin = rule.identity.condition(.exe) {
            return pin.vouchesForBoost ? nil : .interpreterPin
        }
        guard let file = process.exeFile, trust.vouches(for: rule.name, file: file) else { return .nameOnly }
        return nil
    }

    /// nil when a condition fails; else the kinds of the conditions that held.
    func conditionsHold(_ identity: RuleIdentity, _ process: ProcessIdentity) -> [String]? {
        var held: [String] = []
        for condition in identity.conditions {
            guard condition.holds(for: process, trust: trust) else { return nil }
            held.append(condition.key)
        }
        return held
    }
}
