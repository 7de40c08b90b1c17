// SPDX-License-Identifier: Apache-2.0
import Foundation
import ProcFS

/// A profile of the processes a machine runs: one record per thread group, with rates over a
/// window between two reads of /proc. JSON schema `schedcat.snapshot/v1`.
public struct Snapshot: Sendable, Equatable {
    public static let schemaID = "schedcat.snapshot/v1"

    public var schema: String
    /// The version of schedcat that wrote the snapshot (`schedcat --version`); nil in files written
    /// before it was recorded, by hand or by other tools. The writer sets it: Profiling knows no version.
    public var schedcatVersion: String?
    /// When the second read of /proc began (whole seconds, UTC).
    public var takenAt: Date
    /// Measured time between the starts of the two reads.
    public var windowSeconds: Double
    public var host: HostInfo
    /// Sorted by pid, then start time.
    public var processes: [ProcessRecord]

    public init(schema: String = Snapshot.schemaID, schedcatVersion: String? = nil, takenAt: Date, windowSeconds: Double,
                host: HostInfo, processes: [ProcessRecord]) {
        self.schema = schema
        self.schedcatVersion = schedcatVersion
        self.takenAt = takenAt
        self.windowSeconds = windowSeconds
        self.host = host
        self.processes = processes
    }
}

/// The machine a snapshot was taken on.
public struct HostInfo: Sendable, Equatable {
    /// The kernel release (uname -r).
    public var kernel: String
    /// Online CPUs.
    public var cpus: Int
    public var schedExt: SchedExtState
    /// The loaded sched_ext scheduler's name, when one is enabled.
    public var schedExtOps: String?
    /// /proc/sys/kernel/random/boot_id: start times and pids identify a process only within one boot.
    public var bootID: String?
    /// USER_HZ, the unit of `start_time`.
    public var clockTicksPerSecond: Int

    public init(kernel: String, cpus: Int, schedExt: SchedExtState, schedExtOps: String? = nil, bootID: String? = nil,
                clockTicksPerSecond: Int = Int(ProcFS.ticksPerSecond)) {
        self.kernel = kernel
        self.cpus = cpus
        self.schedExt = schedExt
        self.schedExtOps = schedExtOps
        self.bootID = bootID
        self.clockTicksPerSecond = clockTicksPerSecond
    }
}

/// Whether the kernel has sched_ext (/sys/kernel/sched_ext) and whether a BPF scheduler is loaded.
public enum SchedExtState: String, Sendable, Codable, CaseIterable {
    case absent, disabled, enabled
}
