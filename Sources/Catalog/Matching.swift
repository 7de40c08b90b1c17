import Foundation

/// What the matcher needs to know about a process. Built from /proc by later stages.
public struct ProcessIdentity: Sendable, Hashable {
    public var comm: String
    public var argv: [String]
    public var exe: String?
    public var cgroup: String?
    /// Owner and mode of the executable file, to decide whether a name can be trusted.
    public var exeOwnerUID: UInt32?
    public var exeMode: UInt32?

    public init(comm: String, argv: [String] = [], exe: String? = nil, cgroup: String? = nil,
                exeOwnerUID: UInt32? = nil, exeMode: UInt32? = nil) {
        self.comm = comm
        self.argv = argv
        self.exe = exe
        self.cgroup = cgroup
        self.exeOwnerUID = exeOwnerUID
        self.exeMode = exeMode
    }

    /// Base name of a path, splitting on `/` and on Wine's `\`.
    public static func basename(_ path: String) -> String {
        let last = path.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last
        return last.map(String.init) ?? path
    }

    public var argv0Name: String? { argv.first.map(Self.basename).flatMap { $0.isEmpty ? nil : $0 } }
    public var exeName: String? { exe.map(Self.basename) }

    /// The executable's own file name equals `name` (or its 15-byte comm truncation), and the
    /// file is root-owned and writable by nobody else: the name was not chosen by the process.
    public func executableVouchesFor(_ name: String) -> Bool {
        guard let exeName, let uid = exeOwnerUID, let mode = exeMode else { return false }
        let nameMatches = exeName == name || (name.utf8.count > CommKey.length ? false : CommKey(exeName) == CommKey(name))
        return nameMatches && uid == 0 && mode & 0o022 == 0
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
    public var boostWithheld: Bool
}

/// Finds the rule for a process: the most specific matching rule, earliest in the file on ties.
public struct RuleMatcher: Sendable {
    public let catalog: Catalog
    private let byName: [String: [Int]]
    private let byTruncated: [CommKey: [Int]]

    public init(_ catalog: Catalog) {
        self.catalog = catalog
        var byName: [String: [Int]] = [:]
        var byTruncated: [CommKey: [Int]] = [:]
        for (index, rule) in catalog.rules.enumerated() {
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
        let withheld = values.boosts && rule.identity.exe == nil && !process.executableVouchesFor(rule.name)
        if withheld { values = values.withoutBoost }
        return RuleMatch(ruleIndex: best.index, rule: rule, via: best.via, conditions: best.conditions,
                         values: values, boostWithheld: withheld)
    }

    /// nil when a condition fails; else the conditions that were checked and held.
    func conditionsHold(_ identity: RuleIdentity, _ process: ProcessIdentity) -> [String]? {
        var held: [String] = []
        if let exe = identity.exe {
            guard process.exe == exe else { return nil }
            held.append("exe")
        }
        if let required = identity.cmdline {
            guard required.allSatisfy(process.argv.contains) else { return nil }
            held.append("cmdline")
        }
        if let glob = identity.cgroup {
            guard let cgroup = process.cgroup, fnmatch(glob, cgroup, 0) == 0 else { return nil }
            held.append("cgroup")
        }
        return held
    }
}
