import Catalog
import ProcFS
import LinuxSystem

public struct CompileOptions: Sendable {
    public var includeProposed: Bool
    public var topology: CPUTopology
    /// Resolves an exe pin to its file identity; injectable for tests.
    public var fileIdentity: @Sendable (String) -> FileIdentity?
    /// The classes of the policy being replaced: an unchanged class keeps its id, so tasks and
    /// per-class counters keep their meaning across a reload.
    public var previousClasses: [CompiledClass]

    public init(includeProposed: Bool = false, topology: CPUTopology = .read(),
                fileIdentity: @escaping @Sendable (String) -> FileIdentity? = { FileIdentity.of($0) },
                previousClasses: [CompiledClass] = []) {
        self.includeProposed = includeProposed
        self.topology = topology
        self.fileIdentity = fileIdentity
        self.previousClasses = previousClasses
    }
}

/// Catalog -> map entries. Pure apart from the injected exe lookup and topology.
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

        for (index, rule) in catalog.rules.enumerated() where statuses.contains(rule.status) {
            inEffect += 1
            let values = catalog.effectiveValues(of: rule)
            let label = rule.type ?? "custom"
            if rule.identity.cmdline != nil || rule.identity.cgroup != nil
                || (rule.identity.exe == nil && !rule.matchTruncated) {
                perProcess[index] = classPair(label: label, values: values)
            } else if let path = rule.identity.exe {
                guard let file = options.fileIdentity(path) else {
                    unresolved.append(UnresolvedExe(rule: rule.name, path: path))
                    continue
                }
                // the exe pin is the trust: no fallback class
                let boosted = classID(label: label, values: values)
                let key = "\(file.kernelDevice):\(file.inode)"
                if let first = exe[key] {
                    collisions.append(Collision(kind: .exe, key: path, kept: first.rule, dropped: [rule.name],
                        message: "'\(rule.name)' pins \(path), the same file as '\(first.rule)' (\(first.path)); keeping '\(first.rule)'"))
                    continue
                }
                exe[key] = ExeEntry(path: path, rule: rule.name, device: file.kernelDevice, inode: file.inode, classID: boosted)
                exeOrder.append(key)
            } else {
                let (boosted, fallback) = classPair(label: label, values: values)
                let key = CommKey(rule.name)
                if var first = comm[key] {
                    if first.classID == boosted && first.fallbackClassID == fallback {
                        first.rules.append(rule.name)
                        comm[key] = first
                    } else {
                        collisions.append(Collision(kind: .comm, key: key.description, kept: first.rules[0], dropped: [rule.name],
                            message: "'\(rule.name)' truncates to the kernel comm '\(key)' like '\(first.rules[0])' with different values; keeping '\(first.rules[0])'"))
                    }
                    continue
                }
                let name = Array(rule.name.utf8)
                comm[key] = CommEntry(comm: key.description, rules: [rule.name], classID: boosted, fallbackClassID: fallback,
                                      needsVouch: boosted != fallback, nameLength: UInt32(name.count), nameHash: fnv1a64(name))
                commOrder.append(key)
            }
        }
        let policy = CompiledPolicy(
            classes: classTable(), comm: commOrder.compactMap { comm[$0] }, exe: exeOrder.compactMap { exe[$0] },
            perProcessRules: perProcess.keys.sorted().map { catalog.rules[$0].name }, collisions: collisions,
            unresolvedExe: unresolved, topology: options.topology, rulesInEffect: inEffect)
        let resolver = ProcessResolver(catalog: catalog, statuses: statuses, classes: perProcess)
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
        let cpus: [Int]
        switch spec ?? .all {
        case .all: return nil
        case .performance: cpus = options.topology.performance
        case .efficiency: cpus = options.topology.efficiency
        case .list(let ranges): cpus = ranges.flatMap { Array($0) }
        }
        let kept = Set(cpus.filter { $0 < maxMaskCPUs }).sorted()
        return kept.isEmpty || Set(kept) == Set(options.topology.online) && !options.topology.online.isEmpty ? nil : kept
    }
}

let maxMaskCPUs = 256
let maxClasses = 4096

/// FNV-1a, 64 bit: the BPF side hashes the executable's file name the same way.
public func fnv1a64(_ bytes: [UInt8]) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
        hash ^= UInt64(byte)
        hash = hash &* 0x100_0000_01b3
    }
    return hash
}
