// SPDX-License-Identifier: Apache-2.0
import Catalog
import Foundation
import SchedcatABI

/// A scheduling class as the BPF scheduler sees it: what a set of catalog values means for
/// CPU time. Ids are indices into the `sc_classes` array map; id 0 is the default class.
public struct CompiledClass: Codable, Sendable, Hashable {
    public var id: UInt32
    /// What `status` shows: the type name, "(unvouched)" for a boost-free fallback.
    public var label: String
    /// 1024 = nice 0; 0 when the class keeps the task's own nice.
    public var weight: UInt32
    public var nice: Int?
    public var latencyNice: Int?
    public var sliceNs: UInt64
    public var idle: Bool
    public var batch: Bool
    /// CPUs the class may run on; nil = all.
    public var cpus: [Int]?

    var key: ClassKey { ClassKey(label: label, nice: nice, latencyNice: latencyNice, idle: idle, batch: batch, cpus: cpus) }

    public static let defaultClass = CompiledClass(id: 0, label: "default", weight: 0, nice: nil, latencyNice: nil,
                                                   sliceNs: SliceTable.defaultNs, idle: false, batch: false, cpus: nil)
}

/// The kernel's sched_prio_to_weight (kernel/sched/core.c), nice -20 ... 19.
public enum NiceWeights {
    public static let table: [UInt32] = [
        88761, 71755, 56483, 46273, 36291,
        29154, 23254, 18705, 14949, 11916,
        9548, 7620, 6100, 4904, 3906,
        3121, 2501, 1991, 1586, 1277,
        1024, 820, 655, 526, 423,
        335, 272, 215, 172, 137,
        110, 87, 70, 56, 45,
        36, 29, 23, 18, 15,
    ]

    public static func weight(nice: Int) -> UInt32 { table[min(max(nice, -20), 19) + 20] }
}

/// Time slices from latency_nice: 3 ms at 0, halved every 5 steps down, doubled every 5 up,
/// kept within 0.5 ... 24 ms. `sched: batch` doubles the slice.
public enum SliceTable {
    public static let defaultNs = UInt64(SC_DEFAULT_SLICE_NS)
    public static let minimumNs = UInt64(SC_MIN_SLICE_NS)
    public static let maximumNs = UInt64(SC_MAX_SLICE_NS)

    public static func sliceNs(latencyNice: Int?, batch: Bool) -> UInt64 {
        var slice = Double(defaultNs) * pow(2, Double(latencyNice ?? 0) / 5)
        if batch { slice *= 2 }
        return min(max(UInt64(slice.rounded()), minimumNs), maximumNs)
    }
}

/// The CPU-relevant part of a rule's values, resolved against the host: what makes two
/// classes different.
struct ClassKey: Hashable {
    var label: String
    var nice: Int?
    var latencyNice: Int?
    var idle: Bool
    var batch: Bool
    var cpus: [Int]?

    init(label: String, nice: Int?, latencyNice: Int?, idle: Bool, batch: Bool, cpus: [Int]?) {
        self.label = label
        self.nice = nice
        self.latencyNice = latencyNice
        self.idle = idle
        self.batch = batch
        self.cpus = cpus
    }

    init(label: String, values: SchedValues, cpus: [Int]?) {
        self.label = label
        nice = values.nice
        latencyNice = values.latencyNice
        idle = values.sched == .idle
        batch = values.sched == .batch
        self.cpus = cpus
    }
}
