// SPDX-License-Identifier: Apache-2.0
import Compile
import SchedcatABI

/// The map contents a compiled policy stands for, as raw key/value bytes, so that a reload
/// can write only what changed.
public struct MapImage: Sendable, Equatable {
    public var comm: [[UInt8]: [UInt8]] = [:]
    public var exe: [[UInt8]: [UInt8]] = [:]
    public var classes: [[UInt8]] = []
    /// The same entries as contiguous key and value arrays, for one batch update into empty maps.
    var commBatch = EntryBatch(), exeBatch = EntryBatch()

    public init(_ policy: CompiledPolicy) {
        for entry in policy.comm {
            let key = rawBytes(entry.abiKey), value = rawBytes(entry.abiValue)
            comm[key] = value
            commBatch.append(key, value)
        }
        for entry in policy.exe {
            let key = rawBytes(entry.abiKey), value = rawBytes(entry.abiValue)
            exe[key] = value
            exeBatch.append(key, value)
        }
        classes = policy.classes.map { rawBytes($0.abi) }
    }
}

struct EntryBatch: Sendable, Equatable {
    var keys: [UInt8] = []
    var values: [UInt8] = []
    var count = 0

    mutating func append(_ key: [UInt8], _ value: [UInt8]) {
        keys.append(contentsOf: key)
        values.append(contentsOf: value)
        count += 1
    }
}

/// What a reload changed.
public struct MapDiff: Sendable, Equatable {
    public var upserts = 0
    public var deletes = 0
    public var classesWritten = 0
}

/// The scheduler's maps, by name from bpf/scx_catalog.h.
public struct SchedulerMaps: Sendable {
    public let comm, exe, tgid, classes, classStats, config, exitInfo, counters: BPFMap

    public init(_ object: BPFObject) throws {
        comm = try object.map(SC_MAP_COMM)
        exe = try object.map(SC_MAP_EXE)
        tgid = try object.map(SC_MAP_TGID)
        classes = try object.map(SC_MAP_CLASSES)
        classStats = try object.map(SC_MAP_CLASS_STATS)
        config = try object.map(SC_MAP_CONFIG)
        exitInfo = try object.map(SC_MAP_EXIT)
        counters = try object.map(SC_MAP_COUNTERS)
    }

    /// Brings the maps from `old` (nil: empty maps) to `new`.
    @discardableResult
    public func write(_ new: MapImage, replacing old: MapImage?) throws -> MapDiff {
        guard new.classes.count <= classes.maxEntries else {
            throw BPFError("the catalog needs \(new.classes.count) classes; the scheduler has room for \(classes.maxEntries)")
        }
        guard new.comm.count <= comm.maxEntries, new.exe.count <= exe.maxEntries else {
            throw BPFError("the catalog has \(new.comm.count) comm and \(new.exe.count) exe entries; the maps hold \(comm.maxEntries)")
        }
        var diff = MapDiff()
        // classes first: a new id must exist before an entry points at it
        let oldClasses = old?.classes ?? []
        for (id, value) in new.classes.enumerated() where id >= oldClasses.count || oldClasses[id] != value {
            try classes.updateBytes(rawBytes(UInt32(id)), value)
            diff.classesWritten += 1
        }
        let empty = rawBytes(sc_class())
        for id in new.classes.count..<max(new.classes.count, oldClasses.count) {
            try classes.updateBytes(rawBytes(UInt32(id)), empty)
            diff.classesWritten += 1
        }
        guard let old else {
            try comm.updateBatch(new.commBatch)
            try exe.updateBatch(new.exeBatch)
            diff.upserts = new.commBatch.count + new.exeBatch.count
            return diff
        }
        for (map, newEntries, oldEntries) in [(comm, new.comm, old.comm), (exe, new.exe, old.exe)] {
            let changed = newEntries.filter { oldEntries[$0.key] != $0.value }.map { (key: $0.key, value: $0.value) }
            try map.updateBytes(changed)
            diff.upserts += changed.count
            for key in oldEntries.keys where newEntries[key] == nil {
                map.deleteBytes(key)
                diff.deletes += 1
            }
        }
        return diff
    }

    public func configuration() -> sc_config {
        config.lookup(UInt32(0), as: sc_config.self) ?? sc_config()
    }

    public func setConfiguration(_ value: sc_config) throws {
        try config.update(UInt32(0), value)
    }

    /// Why the kernel stopped the scheduler, once it has.
    public func exit() -> SchedulerExit? {
        guard let info = exitInfo.lookup(UInt32(0), as: sc_exit_info.self), info.kind != 0 else { return nil }
        return SchedulerExit(kind: info.kind, code: info.exit_code, reason: cString(info.reason), message: cString(info.msg))
    }

    /// Per-class counters summed over CPUs.
    public func classCounters(count: Int) -> [ClassCounters] {
        (0..<count).map { id in
            let perCPU = classStats.lookupPerCPU(UInt32(id), as: sc_class_stats.self)
            return ClassCounters(enqueues: perCPU.reduce(0) { $0 + $1.enqueues },
                                 runtimeNs: perCPU.reduce(0) { $0 + $1.runtime_ns },
                                 preemptKicks: perCPU.reduce(0) { $0 + $1.preempt_kicks },
                                 idleRescues: perCPU.reduce(0) { $0 + $1.idle_rescues })
        }
    }
}

public struct SchedulerExit: Sendable, CustomStringConvertible {
    public var kind: Int32
    public var code: Int64
    public var reason: String
    public var message: String
    public var description: String {
        "kind \(kind) (\(exitKindName(kind))), code \(code): \(reason)\(message.isEmpty ? "" : " - \(message)")"
    }
}

/// enum scx_exit_kind
func exitKindName(_ kind: Int32) -> String {
    switch kind {
    case 1: return "done"
    case 64: return "unregistered"
    case 65: return "unregistered by BPF"
    case 66: return "unregistered by the kernel"
    case 67: return "sysrq"
    case 1024: return "error"
    case 1025: return "BPF error"
    case 1026: return "stall: a task waited longer than the watchdog timeout"
    default: return "exit"
    }
}

public struct ClassCounters: Codable, Sendable, Equatable {
    public var enqueues: UInt64 = 0
    public var runtimeNs: UInt64 = 0
    public var preemptKicks: UInt64 = 0
    public var idleRescues: UInt64 = 0

    public init(enqueues: UInt64 = 0, runtimeNs: UInt64 = 0, preemptKicks: UInt64 = 0, idleRescues: UInt64 = 0) {
        self.enqueues = enqueues
        self.runtimeNs = runtimeNs
        self.preemptKicks = preemptKicks
        self.idleRescues = idleRescues
    }

    static func + (a: ClassCounters, b: ClassCounters) -> ClassCounters {
        ClassCounters(enqueues: a.enqueues + b.enqueues, runtimeNs: a.runtimeNs + b.runtimeNs,
                      preemptKicks: a.preemptKicks + b.preemptKicks, idleRescues: a.idleRescues + b.idleRescues)
    }
}

func cString<T>(_ tuple: T) -> String {
    withUnsafeBytes(of: tuple) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
}
