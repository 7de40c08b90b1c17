// SPDX-License-Identifier: Apache-2.0
import Foundation
import LinuxSystem
import ProcFS

/// Pairs two reads of /proc into records. A process is the same in both reads when its pid AND
/// start time match, so a recycled pid is never mistaken for the process that had it before.
///
/// Rates are never invented:
/// - seen in both reads: counter differences over the measured interval;
/// - seen only in the second read, started after the first read began: everything it ever
///   did happened inside the window, so its totals over the interval are its window rates;
/// - seen only in the first read (it exited): its share of the window is unknown, rates are null.
/// `lifetime_cpu_percent` (its total CPU time over its age) is reported for every process.
struct SnapshotBuilder {
    let first: ProcessTable
    let second: ProcessTable
    let options: SnapshotOptions

    private let ticksPerSecond = ProcFS.ticksPerSecond

    func snapshot(host: HostInfo, takenAt: Date) -> Snapshot {
        let interval = second.uptime - first.uptime
        var records: [ProcessRecord] = []
        records.reserveCapacity(second.samples.count)
        for sample in second.samples.values where options.reports(sample) {
            if let before = first.samples[sample.pid], before.stat.startTime == sample.stat.startTime {
                records.append(record(sample, in: second, observed: .both, rates: windowRates(before, sample, interval)))
            } else {
                let rates = startedAfterFirstRead(sample) ? lifetimeTotals(sample, interval) : .unknown
                records.append(record(sample, in: second, observed: .secondOnly, rates: rates))
            }
        }
        for sample in first.samples.values where options.reports(sample) {
            if let after = second.samples[sample.pid], after.stat.startTime == sample.stat.startTime { continue }
            records.append(record(sample, in: first, observed: .firstOnly, rates: .unknown))
        }
        records.sort { ($0.pid, $0.startTime ?? 0) < ($1.pid, $1.startTime ?? 0) }
        attachPackages(&records)
        return Snapshot(takenAt: Date(timeIntervalSince1970: takenAt.timeIntervalSince1970.rounded(.down)),
                        windowSeconds: round(interval, places: 3), host: host, processes: records)
    }

    /// Each process's package, only where the running file is the packaged file at that path as
    /// root sees it: a process can show any path as its exe from a mount namespace of its own.
    private func attachPackages(_ records: inout [ProcessRecord]) {
        guard let database = options.packages else { return }
        let owners = database.owners(of: Set(records.compactMap { $0.exe.map(PackageDatabase.merged) }))
        guard !owners.isEmpty else { return }
        for index in records.indices {
            // an interpreter's package says what the interpreter is, not what its script does
            guard let exe = records[index].exe, !ExecutableTrust.isInterpreterPath(exe), let package = owners[PackageDatabase.merged(exe)],
                  let running = records[index].exeIdentity, let file = FileIdentity.of(exe),
                  file.device == running.device, file.inode == running.inode else { continue }
            records[index].package = package
        }
    }

    /// Start times are whole ticks rounded down, so allow one tick of slack.
    private func startedAfterFirstRead(_ sample: ProcessSample) -> Bool {
        Double(sample.stat.startTime + 1) / ticksPerSecond >= first.uptime
    }

    private func windowRates(_ before: ProcessSample, _ after: ProcessSample, _ interval: Double) -> Rates {
        guard interval > 0 else { return .unknown }
        let cpu = Double(difference(after.stat.cpuTicks, before.stat.cpuTicks)) / ticksPerSecond
        var switches: SwitchCounts?
        if !before.threadSwitches.isEmpty && !after.threadSwitches.isEmpty {
            var total = SwitchCounts(voluntary: 0, involuntary: 0)
            for (tid, now) in after.threadSwitches {
                // A thread missing from the first read started in the window; one whose counters
                // went down is a new thread with a reused tid. Either way all its counts are new.
                // Threads that ended in the window take their counts with them: an undercount.
                if let then = before.threadSwitches[tid], now.voluntary >= then.voluntary, now.involuntary >= then.involuntary {
                    total.voluntary += now.voluntary - then.voluntary
                    total.involuntary += now.involuntary - then.involuntary
                } else {
                    total.voluntary += now.voluntary
                    total.involuntary += now.involuntary
                }
            }
            switches = total
        }
        var io: (UInt64, UInt64)?
        if let then = before.io, let now = after.io {
            io = (difference(now.readBytes, then.readBytes), difference(now.writeBytes, then.writeBytes))
        }
        return Rates(cpuSeconds: cpu, switches: switches, io: io, interval: interval)
    }

    private func lifetimeTotals(_ sample: ProcessSample, _ interval: Double) -> Rates {
        guard interval > 0 else { return .unknown }
        return Rates(cpuSeconds: Double(sample.stat.cpuTicks) / ticksPerSecond, switches: sample.totalSwitches,
                     io: sample.io.map { ($0.readBytes, $0.writeBytes) }, interval: interval)
    }

    private func record(_ sample: ProcessSample, in table: ProcessTable, observed: Observation, rates: Rates) -> ProcessRecord {
        let stat = sample.stat
        let age = max(0, table.uptime - Double(stat.startTime) / ticksPerSecond)
        // Under 0.1 s of life a few ticks make any percentage; say nothing rather than nonsense.
        let lifetimeCPU = age >= 0.1 ? round(Double(stat.cpuTicks) / ticksPerSecond / age * 100, places: 2) : nil
        let parent = stat.ppid > 0 ? table.samples[stat.ppid]?.stat.comm : nil
        return ProcessRecord(
            pid: sample.pid, ppid: stat.ppid, comm: stat.comm, exe: sample.exe, cmdline: sample.cmdline,
            parentComm: parent, uid: sample.status?.effectiveUID, threads: stat.threads,
            cpuPercent: rates.cpuPercent, rssKiB: stat.rssPages * Int64(ProcFS.pageSize) / 1024,
            voluntarySwitchesPerSecond: rates.voluntary, involuntarySwitchesPerSecond: rates.involuntary,
            readBytesPerSecond: rates.readBytes, writeBytesPerSecond: rates.writeBytes, cgroup: sample.cgroup,
            nice: stat.nice, policy: SchedPolicyNumber.name(stat.policy), kernelThread: stat.isKernelThread,
            observed: observed, startTime: stat.startTime, ageSeconds: round(age, places: 2), state: String(stat.state),
            rtPriority: stat.rtPriority, lifetimeCPUPercent: lifetimeCPU,
            exeIdentity: sample.exeIdentity.map {
                ExeIdentity(device: $0.device, kernelDevice: $0.kernelDevice, inode: $0.inode, ownerUID: $0.ownerUID, mode: $0.mode)
            }, signals: sample.signals)
    }

    private func difference(_ now: UInt64, _ then: UInt64) -> UInt64 { now >= then ? now - then : 0 }
}

/// Window rates of one process, rounded to 2 decimals; nil where unknown.
private struct Rates {
    var cpuPercent: Double?
    var voluntary: Double?
    var involuntary: Double?
    var readBytes: Double?
    var writeBytes: Double?

    static let unknown = Rates()

    private init() {}

    init(cpuSeconds: Double, switches: SwitchCounts?, io: (UInt64, UInt64)?, interval: Double) {
        cpuPercent = round(cpuSeconds / interval * 100, places: 2)
        voluntary = switches.map { round(Double($0.voluntary) / interval, places: 2) }
        involuntary = switches.map { round(Double($0.involuntary) / interval, places: 2) }
        readBytes = io.map { round(Double($0.0) / interval, places: 2) }
        writeBytes = io.map { round(Double($0.1) / interval, places: 2) }
    }
}

func round(_ value: Double, places: Int) -> Double {
    let scale = pow(10, Double(places))
    return (value * scale).rounded() / scale
}
