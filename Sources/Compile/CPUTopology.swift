// SPDX-License-Identifier: Apache-2.0
import Catalog
import Foundation
import LinuxSystem

/// Which CPUs count as performance and which as efficiency cores, for `cpus: performance` and
/// `cpus: efficiency`. Read from sysfs: the hybrid PMU CPU lists (Intel), else per-CPU
/// capacity (arm big.LITTLE, EAS), else the highest frequency each CPU reaches.
public struct CPUTopology: Sendable, Hashable, Codable {
    public var online: [Int]
    public var performance: [Int]
    public var efficiency: [Int]
    /// How the split was found, for `scheduler compile` output.
    public var source: String

    public init(online: [Int], performance: [Int], efficiency: [Int], source: String) {
        self.online = online
        self.performance = performance
        self.efficiency = efficiency
        self.source = source
    }

    /// Every CPU alike: both names mean all CPUs.
    public static func uniform(_ online: [Int]) -> CPUTopology {
        CPUTopology(online: online, performance: online, efficiency: online, source: "uniform")
    }

    public static func read(sysfs root: String = "/sys") -> CPUTopology {
        let online = text("\(root)/devices/system/cpu/online").flatMap(CPUList.cpus) ?? []
        if let core = text("\(root)/devices/cpu_core/cpus").flatMap(CPUList.cpus),
           let atom = text("\(root)/devices/cpu_atom/cpus").flatMap(CPUList.cpus), !core.isEmpty, !atom.isEmpty {
            return CPUTopology(online: online, performance: core, efficiency: atom, source: "cpu_core/cpu_atom")
        }
        for (file, source) in [("cpu_capacity", "cpu_capacity"), ("cpufreq/cpuinfo_max_freq", "cpuinfo_max_freq"),
                               ("acpi_cppc/highest_perf", "acpi_cppc")] {
            let values = online.compactMap { cpu in
                text("\(root)/devices/system/cpu/cpu\(cpu)/\(file)").flatMap { Int($0) }.map { (cpu, $0) }
            }
            guard values.count == online.count, let best = values.map(\.1).max() else { continue }
            let fast = values.filter { $0.1 == best }.map(\.0)
            let slow = values.filter { $0.1 != best }.map(\.0)
            if slow.isEmpty { return .uniform(online) }
            return CPUTopology(online: online, performance: fast, efficiency: slow, source: source)
        }
        return .uniform(online)
    }

    /// The CPUs a catalog's `cpus:` names on this host, online ones only; nil = no restriction.
    public func resolve(_ spec: CPUSpec?) -> [Int]? {
        switch spec ?? .all {
        case .all: return nil
        case .performance: return performance
        case .efficiency: return efficiency
        case .list(let ranges): return Set(ranges.flatMap { Array($0) }).intersection(online).sorted()
        }
    }

    private static func text(_ path: String) -> String? {
        (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
