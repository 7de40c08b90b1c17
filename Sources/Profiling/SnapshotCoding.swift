// SPDX-License-Identifier: Apache-2.0
import Foundation
import ProcFS
import LinuxSystem

// JSON for schedcat.snapshot/v1. Unknown values are written as explicit nulls (never omitted).
// Decoding requires every contract key (a null is fine where the model allows one) and
// tolerates missing additions, so a snapshot written by hand or by an older schedcat still loads.

extension Snapshot: Codable {
    enum CodingKeys: String, CodingKey {
        case schema, schedcatVersion = "schedcat_version", takenAt = "taken_at", windowSeconds = "window_s", host, processes
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schema = try c.decode(String.self, forKey: .schema)
        guard schema == Self.schemaID else {
            throw DecodingError.dataCorruptedError(forKey: .schema, in: c,
                debugDescription: "not a schedcat snapshot: schema is '\(schema)', expected '\(Self.schemaID)'")
        }
        let stamp = try c.decode(String.self, forKey: .takenAt)
        guard let date = Self.parseTimestamp(stamp) else {
            throw DecodingError.dataCorruptedError(forKey: .takenAt, in: c,
                debugDescription: "'\(stamp)' is not an ISO 8601 UTC time like 2026-11-26T12:00:00Z")
        }
        takenAt = date
        schedcatVersion = try c.decodeIfPresent(String.self, forKey: .schedcatVersion)
        windowSeconds = try c.decode(Double.self, forKey: .windowSeconds)
        host = try c.decode(HostInfo.self, forKey: .host)
        processes = try c.decode([ProcessRecord].self, forKey: .processes)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schema, forKey: .schema)
        try c.encode(schedcatVersion, forKey: .schedcatVersion)
        try c.encode(Self.formatTimestamp(takenAt), forKey: .takenAt)
        try c.encode(windowSeconds, forKey: .windowSeconds)
        try c.encode(host, forKey: .host)
        try c.encode(processes, forKey: .processes)
    }

    /// "2026-11-26T12:00:00Z", as `taken_at` is written.
    public static func formatTimestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }

    static func parseTimestamp(_ text: String) -> Date? {
        (try? Date(text, strategy: Date.ISO8601FormatStyle()))
            ?? (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
    }
}

extension HostInfo: Codable {
    enum CodingKeys: String, CodingKey {
        case kernel, cpus, schedExt = "sched_ext", schedExtOps = "sched_ext_ops", bootID = "boot_id"
        case clockTicksPerSecond = "clock_ticks_per_s"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kernel = try c.decode(String.self, forKey: .kernel)
        cpus = try c.decode(Int.self, forKey: .cpus)
        schedExt = try c.decode(SchedExtState.self, forKey: .schedExt)
        schedExtOps = try c.decodeIfPresent(String.self, forKey: .schedExtOps)
        bootID = try c.decodeIfPresent(String.self, forKey: .bootID)
        clockTicksPerSecond = try c.decodeIfPresent(Int.self, forKey: .clockTicksPerSecond) ?? Int(ProcFS.ticksPerSecond)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kernel, forKey: .kernel)
        try c.encode(cpus, forKey: .cpus)
        try c.encode(schedExt, forKey: .schedExt)
        try c.encode(schedExtOps, forKey: .schedExtOps)
        try c.encode(bootID, forKey: .bootID)
        try c.encode(clockTicksPerSecond, forKey: .clockTicksPerSecond)
    }
}

extension ProcessRecord: Codable {
    enum CodingKeys: String, CodingKey {
        case pid, ppid, comm, exe, cmdline, parentComm = "parent_comm", uid, threads, cpuPercent = "cpu_percent"
        case rssKiB = "rss_kib", voluntarySwitchesPerSecond = "voluntary_switches_per_s"
        case involuntarySwitchesPerSecond = "involuntary_switches_per_s", readBytesPerSecond = "read_bytes_per_s"
        case writeBytesPerSecond = "write_bytes_per_s", cgroup, nice, policy, kernelThread = "kernel_thread"
        case observed, startTime = "start_time", ageSeconds = "age_s", state, rtPriority = "rt_priority"
        case lifetimeCPUPercent = "lifetime_cpu_percent", exeDevice = "exe_dev", exeKernelDevice = "exe_dev_kernel"
        case exeInode = "exe_ino", exeUID = "exe_uid", exeMode = "exe_mode", signals, package
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        pid = try c.decode(Int32.self, forKey: .pid)
        ppid = try c.decode(Int32.self, forKey: .ppid)
        comm = try c.decode(String.self, forKey: .comm)
        exe = try c.decode(String?.self, forKey: .exe)
        cmdline = try c.decode([String]?.self, forKey: .cmdline)
        parentComm = try c.decode(String?.self, forKey: .parentComm)
        uid = try c.decode(UInt32?.self, forKey: .uid)
        threads = try c.decode(Int.self, forKey: .threads)
        cpuPercent = try c.decode(Double?.self, forKey: .cpuPercent)
        rssKiB = try c.decode(Int64.self, forKey: .rssKiB)
        voluntarySwitchesPerSecond = try c.decode(Double?.self, forKey: .voluntarySwitchesPerSecond)
        involuntarySwitchesPerSecond = try c.decode(Double?.self, forKey: .involuntarySwitchesPerSecond)
        readBytesPerSecond = try c.decode(Double?.self, forKey: .readBytesPerSecond)
        writeBytesPerSecond = try c.decode(Double?.self, forKey: .writeBytesPerSecond)
        cgroup = try c.decode(String?.self, forKey: .cgroup)
        nice = try c.decode(Int.self, forKey: .nice)
        policy = try c.decode(String.self, forKey: .policy)
        kernelThread = try c.decode(Bool.self, forKey: .kernelThread)

        observed = try c.decodeIfPresent(Observation.self, forKey: .observed) ?? .both
        startTime = try c.decodeIfPresent(UInt64.self, forKey: .startTime)
        ageSeconds = try c.decodeIfPresent(Double.self, forKey: .ageSeconds)
        state = try c.decodeIfPresent(String.self, forKey: .state)
        rtPriority = try c.decodeIfPresent(Int.self, forKey: .rtPriority)
        lifetimeCPUPercent = try c.decodeIfPresent(Double.self, forKey: .lifetimeCPUPercent)
        if let device = try c.decodeIfPresent(UInt64.self, forKey: .exeDevice),
           let inode = try c.decodeIfPresent(UInt64.self, forKey: .exeInode),
           let owner = try c.decodeIfPresent(UInt32.self, forKey: .exeUID),
           let mode = try c.decodeIfPresent(UInt32.self, forKey: .exeMode) {
            let kernelDevice = try c.decodeIfPresent(UInt64.self, forKey: .exeKernelDevice)
                ?? FileIdentity(device: device, inode: inode, ownerUID: owner, mode: mode).kernelDevice
            exeIdentity = ExeIdentity(device: device, kernelDevice: kernelDevice, inode: inode, ownerUID: owner, mode: mode)
        } else {
            exeIdentity = nil
        }
        signals = try c.decodeIfPresent(ProcessSignals.self, forKey: .signals)
        package = try c.decodeIfPresent(PackageInfo.self, forKey: .package)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(pid, forKey: .pid)
        try c.encode(ppid, forKey: .ppid)
        try c.encode(comm, forKey: .comm)
        try c.encode(exe, forKey: .exe)
        try c.encode(cmdline, forKey: .cmdline)
        try c.encode(parentComm, forKey: .parentComm)
        try c.encode(uid, forKey: .uid)
        try c.encode(threads, forKey: .threads)
        try c.encode(cpuPercent, forKey: .cpuPercent)
        try c.encode(rssKiB, forKey: .rssKiB)
        try c.encode(voluntarySwitchesPerSecond, forKey: .voluntarySwitchesPerSecond)
        try c.encode(involuntarySwitchesPerSecond, forKey: .involuntarySwitchesPerSecond)
        try c.encode(readBytesPerSecond, forKey: .readBytesPerSecond)
        try c.encode(writeBytesPerSecond, forKey: .writeBytesPerSecond)
        try c.encode(cgroup, forKey: .cgroup)
        try c.encode(nice, forKey: .nice)
        try c.encode(policy, forKey: .policy)
        try c.encode(kernelThread, forKey: .kernelThread)
        try c.encode(observed, forKey: .observed)
        try c.encode(startTime, forKey: .startTime)
        try c.encode(ageSeconds, forKey: .ageSeconds)
        try c.encode(state, forKey: .state)
        try c.encode(rtPriority, forKey: .rtPriority)
        try c.encode(lifetimeCPUPercent, forKey: .lifetimeCPUPercent)
        try c.encode(exeIdentity?.device, forKey: .exeDevice)
        try c.encode(exeIdentity?.kernelDevice, forKey: .exeKernelDevice)
        try c.encode(exeIdentity?.inode, forKey: .exeInode)
        try c.encode(exeIdentity?.ownerUID, forKey: .exeUID)
        try c.encode(exeIdentity?.mode, forKey: .exeMode)
        try c.encodeIfPresent(signals, forKey: .signals)
        try c.encodeIfPresent(package, forKey: .package)
    }
}
