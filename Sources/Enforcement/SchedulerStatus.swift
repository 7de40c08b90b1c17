// SPDX-License-Identifier: Apache-2.0
import Foundation
import LinuxSystem
import SchedcatABI

/// What `schedcat scheduler status` reports.
public struct SchedulerStatusReport: Codable, Sendable {
    public struct TypeCounters: Codable, Sendable {
        public var type: String
        public var enqueues: UInt64
        public var runtimeSeconds: Double
        public var preemptKicks: UInt64
        public var idleRescues: UInt64
    }

    public var sched_ext: String
    public var ops: String?
    public var attached: Bool
    public var loaderPID: Int32?
    public var catalog: String?
    public var generation: UInt64?
    public var attachedAt: Date?
    public var reloadedAt: Date?
    public var rulesLoaded: Int?
    public var commEntries: Int?
    public var exeEntries: Int?
    public var perProcessRules: Int?
    public var types: [TypeCounters]
    /// The scheduler's own event counters (class lookups, map hits, preemptions, ...).
    public var events: [String: UInt64]?
    public var note: String?

    /// enum sc_counter, in order.
    public static let eventNames = ["class_lookups", "tgid_hits", "exe_hits", "comm_hits", "leader_comm_hits",
                                    "boosts_withheld", "prev_kept", "wakeup_preemptions", "idle_rescues", "idle_cpu_direct",
                                    "starvation_rescues", "wakeups_queued", "wakeup_own_cpu_unknown", "wakeup_own_cpu_earlier"]

    public static func read(paths: SchedulerPaths = .fromEnvironment) -> SchedulerStatusReport {
        let state = SchedExtSysfs().state
        let ops = SchedExtSysfs().opsName
        var report = SchedulerStatusReport(sched_ext: state ?? "unavailable", ops: ops,
                                           attached: state == "enabled" && ops == SC_OPS_NAME, types: [])
        guard state != nil else {
            report.note = "this kernel has no sched_ext"
            return report
        }
        guard report.attached, let saved = SchedulerState.read(from: paths.stateFile) else {
            if report.attached { report.note = "attached, but no loader state in \(paths.stateFile)" }
            return report
        }
        report.loaderPID = saved.pid
        report.catalog = saved.catalog
        report.attachedAt = saved.attachedAt
        report.reloadedAt = saved.reloadedAt
        report.rulesLoaded = saved.rulesLoaded
        report.commEntries = saved.commEntries
        report.exeEntries = saved.exeEntries
        report.perProcessRules = saved.perProcessRules
        do {
            let config = try BPFMap.pinned(paths.pin(SC_MAP_CONFIG))
            defer { config.close() }
            report.generation = config.lookup(UInt32(0), as: sc_config.self)?.generation
            let stats = try BPFMap.pinned(paths.pin(SC_MAP_CLASS_STATS))
            defer { stats.close() }
            let counters = saved.classes.map { label -> ClassCounters in
                let perCPU = stats.lookupPerCPU(label.id, as: sc_class_stats.self)
                return ClassCounters(enqueues: perCPU.reduce(0) { $0 + $1.enqueues }, runtimeNs: perCPU.reduce(0) { $0 + $1.runtime_ns },
                                     preemptKicks: perCPU.reduce(0) { $0 + $1.preempt_kicks },
                                     idleRescues: perCPU.reduce(0) { $0 + $1.idle_rescues })
            }
            let byLabel = SchedulerStatistics.byLabel(saved.classes.enumerated().map { (UInt32($0.offset), $0.element.label) }, counters)
            report.types = byLabel.map {
                TypeCounters(type: $0.key, enqueues: $0.value.enqueues, runtimeSeconds: Double($0.value.runtimeNs) / 1e9,
                             preemptKicks: $0.value.preemptKicks, idleRescues: $0.value.idleRescues)
            }.sorted { ($0.runtimeSeconds, $1.type) > ($1.runtimeSeconds, $0.type) }
            let events = try BPFMap.pinned(paths.pin(SC_MAP_COUNTERS))
            defer { events.close() }
            report.events = Dictionary(uniqueKeysWithValues: eventNames.enumerated().map { index, name in
                (name, events.lookupPerCPU(UInt32(index), as: UInt64.self).reduce(0, +))
            })
        } catch {
            report.note = "counters unavailable: \(error)"
        }
        return report
    }
}
