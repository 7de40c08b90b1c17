// SPDX-License-Identifier: Apache-2.0
import Foundation
import Profiling

/// The people-readable view of a snapshot: the busiest processes first.
enum ProfileTable {
    static func render(_ snapshot: Snapshot, top: Int) -> String {
        let host = snapshot.host
        let kernelThreads = snapshot.processes.filter(\.kernelThread).count
        let busiest = snapshot.processes.sorted { a, b in
            (a.cpuPercent ?? -1, a.lifetimeCPUPercent ?? -1, -a.pid) > (b.cpuPercent ?? -1, b.lifetimeCPUPercent ?? -1, -b.pid)
        }.prefix(top)
        let rows = busiest.map { p in
            [String(p.pid), p.comm, p.observed == .firstOnly ? "exited" : number(p.cpuPercent, decimals: 1), String(p.threads),
             number(p.voluntarySwitchesPerSecond, decimals: 0), number(p.involuntarySwitchesPerSecond, decimals: 0),
             bytes(p.readBytesPerSecond), bytes(p.writeBytesPerSecond), String(p.nice), p.policy, shortCgroup(p.cgroup)]
        }
        let summary = "\(snapshot.processes.count) processes" + (kernelThreads > 0 ? " (\(kernelThreads) kernel threads)" : "")
            + " over \(snapshot.windowSeconds) s at \(snapshot.takenAt.formatted(Date.ISO8601FormatStyle()));"
            + " kernel \(host.kernel), \(host.cpus) CPUs, sched_ext \(host.schedExt.rawValue)"
            + (host.schedExtOps.map { " (\($0))" } ?? "")
        let table = renderTable(["PID", "COMM", "CPU%", "THR", "VCSW/s", "ICSW/s", "READ/s", "WRITE/s", "NICE", "POLICY", "CGROUP"], rows)
        return summary + "\n" + table + "\n(top \(rows.count) by CPU; rates over the window, '-' = unknown; --json for everything)"
    }

    static func number(_ value: Double?, decimals: Int) -> String {
        guard let value else { return "-" }
        return String(format: "%.\(decimals)f", value)
    }

    static func bytes(_ value: Double?) -> String {
        guard let value else { return "-" }
        let units = ["B", "K", "M", "G", "T"]
        var scaled = value
        var unit = 0
        while scaled >= 1024 && unit < units.count - 1 {
            scaled /= 1024
            unit += 1
        }
        if unit == 0 { return String(format: "%.0f", scaled) }
        return String(format: scaled < 10 ? "%.1f" : "%.0f", scaled) + units[unit]
    }

    /// The last two path components; the full path is in the JSON.
    static func shortCgroup(_ path: String?) -> String {
        guard let path else { return "-" }
        let parts = path.split(separator: "/")
        guard parts.count > 2 else { return path }
        return "…/" + parts.suffix(2).joined(separator: "/")
    }
}
