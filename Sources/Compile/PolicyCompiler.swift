// SPDX-License-Identifier: Apache-2.0
import Catalog
import LinuxSystem
import ProcFS
import SchedcatABI

public struct CompileOptions: Sendable {
    public var includeProposed: Bool
    public var topology: CPUTopology
    /// Which files exe pins resolve to and which vouch for a name; a fixed table in tests.
    public var trust: ExecutableTrust
    /// The classes of the policy being replaced: an unchanged class keeps its id, so tasks and
    /// per-class counters keep their meaning across a reload.
    public var previousClasses: [CompiledClass]

    public init(includeProposed: Bool = false, topology: CPUTopology = .read(), trust: ExecutableTrust = ExecutableTrust(),
                previousClasses: [CompiledClass] = []) {
        self.includeProposed = includeProposed
        self.topology = topology
        self.trust = trust
        self.previousClasses = previousClasses
    }
}

/// Catalog -> map entries. Pure apart from the injected file trust and topology.
public struct PolicyCompiler {
    public let catalog: Catalog
    public let options: CompileOptions
    private var classes: [ClassKey: CompiledClass] = [:]
    private var previousIDs: [ClassKey: UInt32] = [:]
    private var nextID: UInt32 = 1

    public init(catalog: Catalog, options: CompileOptions) {
        self.catalog = catalog
        self.options = options
        let reusable = options.previousClasses.filter { $0.id != 0 }
        if (reusable.map(\.id).max() ?? 0) < UInt32(maxClasses / 2) {
            for previous in reusable { previousIDs[previous.key] = previous.id }
            nextID = (reusable.map(\.id).max() ?? 0) + 1
        }
    }

    public var statuses: Set<RuleStatus> { options.includeProposed ? [.accepted, .proposed] : [.accepted] }

    public static func compile(_ catalog: Catalog, options: CompileOptions) -> (CompiledPolicy, ProcessResolver) {
        var compiler = PolicyCompiler(catalog: catalog, options: options)
        return compiler.run()
    }

    private mutating func run() -> (CompiledPolicy, ProcessResolver) {
        var comm: [CommKey: CommEntry] = [:]
        var commOrder: [CommKey] = []
        var exe: [String: ExeEntry] = [:]
        var exeOrder: [String] = []
        var collisions: [Collision] = []
        var unresolved: [UnresolvedExe] = []
        var perProcess: [Int: (UInt32, UInt32)] = [:]
        var inEffect = 0

        /// Exe entries the kernel matches by (device, inode); explicit pins win over vouching files.
        func addExe(_ path: String, _ file: FileIdentity, rule: Rule, classID: UInt32, vouchedName: Bool) {
            let key = "\(file.kernelDevice):\(file.inode)"
            if let first = exe[key] {
                guard !vouchedName else { return }
                collisions.append(Collision(kind: .exe, key: path, kept: first.rule, dropped: [rule.name],
                    message: "'\(rule.name)' pins \(path), the same file as '\(first.rule)' (\(first.path)); keeping '\(first.rule)'"))
                return
            }
            exe[key] = ExeEntry(path: path, rule: rule.name, device: file.kernelDevice, inode: file.inode, classID: classID,
                                vouchedName: vouchedName, matchesTruncatedComm: rule.matchTruncated && rule.name.utf8.count > CommKey.length)
            exeOrder.append(key)
        }
        var vouchedNames: [(Rule, UInt32)] = []

        for (index, rule) in catalog.rules.enumerated() where statuses.contains(rule.status) && !rule.isAuditAmendment {
            inEffect += 1
            let values = catalog.effectiveValues(of: rule)
            let label = rule.type ?? "custom"
            if rule.identity.conditions.contains(where: { $0.evaluation == .userSpace })
                || (rule.identity.conditions.isEmpty && !rule.matchTruncated) {
                // conditions the kernel cannot check (an interpreter pin is no identity either):
                // user space pins each matching process with the matcher's own verdict
                perProcess[index] = classPair(label: label, values: values)
            } else if let path = rule.identity.exe {
                guard let file = options.trust.pinnedFile(path) else {
                    unresolved.append(UnresolvedExe(rule: rule.name, path: path))
                    continue
                }
                // the exe pin is the trust: no fallback class
                addExe(path, file, rule: rule, classID: classID(label: label, values: values), vouchedName: false)
            } else {
                let (boosted, fallback) = classPair(label: label, values: values)
                let key = CommKey(rule.name)
                if var first = comm[key] {
                    if first.classID == fallback && first.boostWithheld == (boosted != fallback) {
                        first.rules.append(rule.name)
                        comm[key] = first
                        if boosted != fallback { vouchedNames.append((rule, boosted)) }
                    } else {
                        collisions.append(Collision(kind: .comm, key: key.description, kept: first.rules[0], dropped: [rule.name],
                            message: "'\(rule.name)' truncates to the kernel comm '\(key)' like '\(first.rules[0])' with different values; keeping '\(first.rules[0])'"))
                    }
                    continue
                }
                // a name alone earns the boost-free class; the system's own files of that name earn the boost
                comm[key] = CommEntry(comm: key.description, rules: [rule.name], classID: fallback, boostWithheld: boosted != fallback)
                commOrder.append(key)
                if boosted != fallback { vouchedNames.append((rule, boosted)) }
            }
        }
        for (rule, boosted) in vouchedNames {
            for candidate in options.trust.vouchingFiles(rule.name) {
                addExe(candidate.path, candidate.file, rule: rule, classID: boosted, vouchedName: true)
            }
        }
        let policy = CompiledPolicy(
            classes: classTable(), comm: commOrder.compactMap { comm[$0] }, exe: exeOrder.compactMap { exe[$0] },
            perProcessRules: perProcess.keys.sorted().map { catalog.rules[$0].name }, collisions: collisions,
            unresolvedExe: unresolved, topology: options.topology, rulesInEffect: inEffect)
        let resolver = ProcessResolver(catalog: catalog, statuses: statuses, classes: perProcess, trust: options.trust)
        return (policy, resolver)
    }

    /// The class with the rule's boosts and the one used when only a name vouches for the process.
    private mutating func classPair(label: String, values: SchedValues) -> (UInt32, UInt32) {
        let boosted = classID(label: label, values: values)
        let unboosted = values.withoutBoost
        guard unboosted.nice != values.nice || unboosted.latencyNice != values.latencyNice else { return (boosted, boosted) }
        return (boosted, classID(label: label + " (unvouched)", values: unboosted))
    }

    private mutating func classID(label: String, values: SchedValues) -> UInt32 {
        let key = ClassKey(label: label, values: values, cpus: cpuList(values.cpus))
        if let known = classes[key] { return known.id }
        let id = previousIDs[key] ?? nextID
        if id == nextID { nextID += 1 }
        let compiled = CompiledClass(
            id: id, label: label,
            weight: key.nice.map { NiceWeights.weight(nice: $0) } ?? 0, nice: key.nice, latencyNice: key.latencyNice,
            sliceNs: SliceTable.sliceNs(latencyNice: key.latencyNice, batch: key.batch),
            idle: key.idle, batch: key.batch, cpus: key.cpus)
        classes[key] = compiled
        return compiled.id
    }

    /// Classes indexed by id; ids a reload freed hold a "retired" class that nothing points at.
    private func classTable() -> [CompiledClass] {
        let byID = Dictionary(uniqueKeysWithValues: classes.values.map { ($0.id, $0) })
        let top = byID.keys.max() ?? 0
        return (0...top).map { id in
            if id == 0 { return .defaultClass }
            var unused = CompiledClass.defaultClass
            unused.id = id
            unused.label = "retired"
            return byID[id] ?? unused
        }
    }

    /// nil = no restriction. CPUs past the mask width are dropped.
    private func cpuList(_ spec: CPUSpec?) -> [Int]? {
        guard let cpus = options.topology.resolve(spec) else { return nil }
        let kept = Set(cpus.filter { $0 < maxMaskCPUs }).sorted()
        return kept.isEmpty || Set(kept) == Set(options.topology.online) && !options.topology.online.isEmpty ? nil : kept
    }
}

let maxMaskCPUs = Int(SC_MAX_CPUS)
let maxClasses = Int(SC_MAX_CLASSES)
