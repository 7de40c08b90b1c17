// SPDX-License-Identifier: Apache-2.0
import LinuxSystem
/// The scheduling knobs a type sets and a rule may override, as ananicy(-cpp) names them.
public enum IOClass: String, Sendable, CaseIterable, Codable {
    case bestEffort = "best-effort", idle, realtime, none
}

/// CPU scheduling policy. Realtime is deliberately absent: no catalog entry may make a
/// process realtime, whatever a model or an imported file says.
public enum SchedPolicy: String, Sendable, CaseIterable, Codable {
    case normal, batch, idle
}

/// Which CPUs a class may run on.
public enum CPUSpec: Sendable, Hashable, Codable, CustomStringConvertible {
    case all, performance, efficiency
    case list([ClosedRange<Int>])

    public static func parse(_ text: String) -> CPUSpec? {
        switch text {
        case "all": return .all
        case "performance": return .performance
        case "efficiency": return .efficiency
        default: break
        }
        return CPUList.ranges(text, limit: 4096).map(CPUSpec.list)
    }

    public var description: String {
        switch self {
        case .all: return "all"
        case .performance: return "performance"
        case .efficiency: return "efficiency"
        case .list(let ranges):
            return CPUList.text(ranges)
        }
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let spec = CPUSpec.parse(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad cpus '\(text)'"))
        }
        self = spec
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Which way a type or rule moves a process relative to the default (nice 0, best-effort IO).
public enum PriorityDirection: String, Sendable, CaseIterable, Codable {
    case boost, demote, neutral
}

/// Values a type defines and a rule may override. `nil` means "not set here".
public struct SchedValues: Sendable, Hashable, Codable {
    public var nice: Int?
    public var latencyNice: Int?
    public var ioclass: IOClass?
    public var ionice: Int?
    public var sched: SchedPolicy?
    public var oomScoreAdj: Int?
    public var cpus: CPUSpec?

    public init(nice: Int? = nil, latencyNice: Int? = nil, ioclass: IOClass? = nil, ionice: Int? = nil,
                sched: SchedPolicy? = nil, oomScoreAdj: Int? = nil, cpus: CPUSpec? = nil) {
        self.nice = nice
        self.latencyNice = latencyNice
        self.ioclass = ioclass
        self.ionice = ionice
        self.sched = sched
        self.oomScoreAdj = oomScoreAdj
        self.cpus = cpus
    }

    enum CodingKeys: String, CodingKey {
        case nice, latencyNice = "latency_nice", ioclass, ionice, sched, oomScoreAdj = "oom_score_adj", cpus
    }

    public var isEmpty: Bool { self == SchedValues() }

    /// `self` with every key that `other` sets replaced by `other`'s value.
    public func overridden(by other: SchedValues) -> SchedValues {
        SchedValues(nice: other.nice ?? nice, latencyNice: other.latencyNice ?? latencyNice,
                    ioclass: other.ioclass ?? ioclass, ionice: other.ionice ?? ionice,
                    sched: other.sched ?? sched, oomScoreAdj: other.oomScoreAdj ?? oomScoreAdj,
                    cpus: other.cpus ?? cpus)
    }

    /// Does applying these values raise a process above the default (nice 0, best-effort 4)?
    public var boosts: Bool {
        (nice ?? 0) < 0 || (latencyNice ?? 0) < 0 || ioclass == .realtime
            || (ioclass != .idle && (ionice ?? 4) < 4) || (oomScoreAdj ?? 0) < 0
    }

    /// Does applying these values lower a process below the default: less CPU share, later
    /// deadlines, a batch or idle CPU class, or the idle IO class? The IO priority inside the
    /// best-effort class alone is no demotion (it only orders IO among ordinary processes).
    public var demotes: Bool {
        (nice ?? 0) > 0 || (latencyNice ?? 0) > 0 || sched == .batch || sched == .idle || ioclass == .idle
    }

    /// Which way these values move a process; a boost wins over a demotion in the same values.
    public var direction: PriorityDirection { boosts ? .boost : demotes ? .demote : .neutral }

    /// The same values with every boost removed, for a process whose identity is only a name.
    public var withoutBoost: SchedValues {
        var copy = self
        if let n = nice, n < 0 { copy.nice = 0 }
        if let n = latencyNice, n < 0 { copy.latencyNice = 0 }
        if ioclass == .realtime { copy.ioclass = .bestEffort }
        if let n = ionice, n < 4, copy.ioclass != .idle { copy.ionice = 4 }
        if let n = oomScoreAdj, n < 0 { copy.oomScoreAdj = 0 }
        return copy
    }

    /// Keys in catalog order with their YAML text, for tables and writers.
    public var keyValues: [(key: String, value: String)] {
        var out: [(String, String)] = []
        if let nice { out.append(("nice", "\(nice)")) }
        if let latencyNice { out.append(("latency_nice", "\(latencyNice)")) }
        if let ioclass { out.append(("ioclass", ioclass.rawValue)) }
        if let ionice { out.append(("ionice", "\(ionice)")) }
        if let sched { out.append(("sched", sched.rawValue)) }
        if let oomScoreAdj { out.append(("oom_score_adj", "\(oomScoreAdj)")) }
        if let cpus { out.append(("cpus", cpus.description)) }
        return out
    }

    public static let keys: Set<String> = ["nice", "latency_nice", "ioclass", "ionice", "sched", "oom_score_adj", "cpus"]
}
