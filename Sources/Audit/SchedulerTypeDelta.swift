// SPDX-License-Identifier: Apache-2.0
import Enforcement

/// What schedcat's sched_ext scheduler counted for one type (class label) over the audit window.
public struct SchedulerTypeDelta: Sendable, Codable, Hashable {
    public var type: String
    public var enqueues: UInt64
    /// CPU time its tasks got, as a share of one CPU.
    public var cpuShare: Double
    public var preemptKicks: UInt64
    public var idleRescues: UInt64

    enum CodingKeys: String, CodingKey {
        case type, enqueues, cpuShare = "cpu_share", preemptKicks = "preempt_kicks", idleRescues = "idle_rescues"
    }

    static func between(_ before: SchedulerStatusReport, _ after: SchedulerStatusReport, seconds: Double) -> [SchedulerTypeDelta] {
        let earlier = Dictionary(before.types.map { ($0.type, $0) }, uniquingKeysWith: { first, _ in first })
        return after.types.compactMap { now in
            let then = earlier[now.type]
            let delta = SchedulerTypeDelta(
                type: now.type, enqueues: now.enqueues &- min(then?.enqueues ?? 0, now.enqueues),
                cpuShare: max(0, now.runtimeSeconds - (then?.runtimeSeconds ?? 0)) / seconds,
                preemptKicks: now.preemptKicks &- min(then?.preemptKicks ?? 0, now.preemptKicks),
                idleRescues: now.idleRescues &- min(then?.idleRescues ?? 0, now.idleRescues))
            return delta.enqueues == 0 && delta.cpuShare == 0 ? nil : delta
        }
    }
}
