// SPDX-License-Identifier: Apache-2.0
import Compile
import Foundation
import ProcFS
import SchedcatABI
import LinuxSystem

public struct SchedulerUnavailable: Error, CustomStringConvertible {
    public var description: String
}

public struct SchedulerOptions: Sendable {
    public var objectPath: String
    public var catalogPath: String
    public var statsInterval: Double?
    public var scanInterval: Double = 1
    public var idleMaxWaitNs = UInt64(SC_IDLE_MAX_WAIT_NS)
    public var paths: SchedulerPaths = .fromEnvironment
    public var verboseLibbpf = false

    public init(objectPath: String, catalogPath: String, statsInterval: Double? = nil) {
        self.objectPath = objectPath
        self.catalogPath = catalogPath
        self.statsInterval = statsInterval
    }
}

/// Compiles the catalog; called at start, on SIGHUP and when the catalog file changes, with the
/// classes of the policy in force (empty at start) so that unchanged classes keep their ids.
public typealias PolicySource = ([CompiledClass]) throws -> (CompiledPolicy, ProcessResolver)

/// `schedcat scheduler load`: load the BPF scheduler, fill its maps, attach it, keep the maps
/// in step with the catalog and /proc, and detach on SIGINT/SIGTERM.
public final class SchedulerRunner {
    let options: SchedulerOptions
    let compile: PolicySource
    let say: (String) -> Void
    private var object: BPFObject?
    private var maps: SchedulerMaps?
    private var links: [BPFLink] = []
    private var image: MapImage?
    private var policy: CompiledPolicy?
    private var resolver: ProcessResolver?
    private var pins = SchedulerProcessPins()
    private var state: SchedulerState?
    private var lastCounters: [String: ClassCounters] = [:]

    public init(options: SchedulerOptions, compile: @escaping PolicySource, say: @escaping (String) -> Void = { print($0) }) {
        self.options = options
        self.compile = compile
        self.say = say
    }

    public static func checkKernel() throws {
        guard SchedExtSysfs().available else {
            throw SchedulerUnavailable(description: """
                this kernel (\(KernelState.release)) has no sched_ext: the schedcat BPF scheduler needs Linux >= 6.13 \
                built with CONFIG_SCHED_CLASS_EXT=y (and BTF). Use schedcat's classic backend (nice/ionice via \
                setpriority) on this machine instead.
                """)
        }
        if SchedExtSysfs().state == "enabled", let ops = SchedExtSysfs().opsName, ops != SC_OPS_NAME {
            throw SchedulerUnavailable(description: "another sched_ext scheduler ('\(ops)') is attached; stop it first")
        }
    }

    /// Runs until a signal or the kernel stops the scheduler. Returns the exit status. The caller
    /// has called `checkKernel()` (before looking for the BPF object, so that a kernel without
    /// sched_ext is the first thing a user hears about).
    public func run() throws -> Int32 {
        SchedulerSignals.install()
        let compileStart = Date()
        let (policy, resolver) = try compile([])
        let compileMs = Date().timeIntervalSince(compileStart) * 1000
        report(policy)

        let openStart = Date()
        let object = try BPFObject(path: options.objectPath, verboseLog: options.verboseLibbpf)
        try object.load()
        let maps = try SchedulerMaps(object)
        let verifyMs = Date().timeIntervalSince(openStart) * 1000
        self.object = object
        self.maps = maps

        let image = MapImage(policy)
        let loadStart = Date()
        try maps.write(image, replacing: nil)
        try maps.setConfiguration(sc_config(generation: 1, idle_max_wait_ns: options.idleMaxWaitNs,
                                            nr_classes: UInt32(policy.classes.count), pad: 0))
        let fillMs = Date().timeIntervalSince(loadStart) * 1000
        pins.refresh(resolver, map: maps.tgid)
        let pinMs = Date().timeIntervalSince(loadStart) * 1000 - fillMs
        links = try object.attachTracingPrograms()
        links.append(try object.attachStructOps(SC_STRUCT_OPS))
        let loadMs = Date().timeIntervalSince(loadStart) * 1000
        self.image = image
        self.policy = policy
        self.resolver = resolver
        let catalogStamp = FileStamp(options.catalogPath)

        say("schedcat: attached; sched_ext \(SchedExtSysfs().state ?? "?"), ops \(SchedExtSysfs().opsName ?? "?")")
        // load_ms: filling every map (catalog entries, classes, the first /proc scan's tgid pins) + attaching
        say(String(format: "schedcat: load rules=%d compile_ms=%.0f open_verify_ms=%.0f fill_ms=%.1f pin_scan_ms=%.1f attach_ms=%.1f load_ms=%.1f",
                   policy.rulesLoaded, compileMs, verifyMs, fillMs, pinMs, loadMs - fillMs - pinMs, loadMs))
        publish(generation: 1, reloaded: false)
        return loop(catalogStamp)
    }

    private func loop(_ catalogStamp: FileStamp?) -> Int32 {
        var loop = EnforcementLoop(catalogPath: options.catalogPath, stamp: catalogStamp,
                                   checkInterval: options.scanInterval, rescanInterval: options.scanInterval)
        var lastStats = Date()
        let status = loop.run(tick: {
            if let exit = maps?.exit() {
                say("schedcat: the kernel stopped the scheduler: \(exit)")
                detach()
                return 1
            }
            if let interval = options.statsInterval, Date().timeIntervalSince(lastStats) >= interval {
                lastStats = Date()
                printStats()
            }
            return nil
        }, reload: { reason in
            reload(because: reason)
        }, rescan: {
            if let resolver, let maps { pins.refresh(resolver, map: maps.tgid) }
            if exePinsMoved() { reload(because: "an exe pin's file was replaced, installed or removed") }
        }, wait: {
            usleep(100_000)
        })
        if let status { return status }
        detach()
        say("schedcat: detached; sched_ext \(SchedExtSysfs().state ?? "?")")
        return 0
    }

    /// Recompile and update the maps in place: the scheduler stays attached throughout.
    private func reload(because reason: String) {
        guard let maps, let old = image else { return }
        let start = Date()
        do {
            let (policy, resolver) = try compile(self.policy?.classes ?? [])
            report(policy)
            let image = MapImage(policy)
            let diff = try maps.write(image, replacing: old)
            var config = maps.configuration()
            config.generation += 1
            config.nr_classes = UInt32(policy.classes.count)
            try maps.setConfiguration(config)
            self.image = image
            self.policy = policy
            self.resolver = resolver
            pins.refresh(resolver, map: maps.tgid)
            publish(generation: config.generation, reloaded: true)
            say(String(format: "schedcat: reloaded (%@): generation %llu, %d entries written, %d deleted, %d classes written in %.1f ms",
                       reason, config.generation, diff.upserts, diff.deletes, diff.classesWritten,
                       Date().timeIntervalSince(start) * 1000))
        } catch {
            say("schedcat: reload (\(reason)) failed, keeping the loaded policy:\n\(error)")
        }
    }

    /// Package upgrades replace executables (new inode): exe pins follow the file at its path.
    private func exePinsMoved() -> Bool {
        guard let policy else { return false }
        for entry in policy.exe {
            guard let file = FileIdentity.of(entry.path), file.kernelDevice == entry.device, file.inode == entry.inode else { return true }
        }
        return policy.unresolvedExe.contains { FileIdentity.of($0.path) != nil }
    }

    private func detach() {
        for link in links.reversed() { link.destroy() }
        links = []
        for name in pinnedMaps { unlink(options.paths.pin(name)) }
        unlink(options.paths.stateFile)
    }

    private var pinnedMaps: [String] { [SC_MAP_CLASS_STATS, SC_MAP_CONFIG, SC_MAP_COUNTERS] }

    private func publish(generation: UInt64, reloaded: Bool) {
        guard let policy, let maps else { return }
        let now = Date()
        state = SchedulerState(
            pid: getpid(), catalog: options.catalogPath, generation: generation,
            attachedAt: state?.attachedAt ?? now, reloadedAt: reloaded ? now : nil,
            rulesInEffect: policy.rulesInEffect, rulesLoaded: policy.rulesLoaded, commEntries: policy.comm.count,
            exeEntries: policy.exe.count, perProcessRules: policy.perProcessRules.count, pinnedProcesses: pins.pinned.count,
            classes: policy.classes.map { .init(id: $0.id, label: $0.label) })
        do {
            try FileManager.default.createDirectory(atPath: options.paths.pinDirectory, withIntermediateDirectories: true)
            try maps.classStats.pin(at: options.paths.pin(SC_MAP_CLASS_STATS))
            try maps.config.pin(at: options.paths.pin(SC_MAP_CONFIG))
            try maps.counters.pin(at: options.paths.pin(SC_MAP_COUNTERS))
            try state?.write(to: options.paths.stateFile)
        } catch {
            say("schedcat: warning: `scheduler status` will not see this scheduler: \(error)")
        }
    }

    private func report(_ policy: CompiledPolicy) {
        say("schedcat: compiled \(options.catalogPath): \(policy.rulesInEffect) rules in effect -> \(policy.comm.count) comm entries, " +
            "\(policy.exe.count) exe pins, \(policy.perProcessRules.count) per-process rules, \(policy.classes.count) classes")
        for collision in policy.collisions { say("schedcat: collision: \(collision.message)") }
        for missing in policy.unresolvedExe.prefix(10) { say("schedcat: exe pin not found here: \(missing.rule): \(missing.path)") }
    }

    private func printStats() {
        guard let maps, let policy else { return }
        let byLabel = SchedulerStatistics.byLabel(policy.classes.map { ($0.id, $0.label) },
                                                  maps.classCounters(count: policy.classes.count))
        var parts: [String] = []
        for (label, counters) in byLabel.sorted(by: { $0.key < $1.key }) {
            let previous = lastCounters[label] ?? ClassCounters()
            // a reload may give a label other class ids: then count from zero
            let restarted = counters.enqueues < previous.enqueues || counters.runtimeNs < previous.runtimeNs
            let enqueues = restarted ? counters.enqueues : counters.enqueues - previous.enqueues
            let runtime = Double(restarted ? counters.runtimeNs : counters.runtimeNs - previous.runtimeNs) / 1e9
            if enqueues > 0 || runtime > 0 { parts.append(String(format: "%@ %llu enq %.2fs", label, enqueues, runtime)) }
        }
        lastCounters = byLabel
        say("schedcat: stats: " + (parts.isEmpty ? "no activity" : parts.joined(separator: "; ")))
    }
}

public enum SchedulerStatistics {
    /// Counters of classes with the same label (type) added up.
    public static func byLabel(_ labels: [(UInt32, String)], _ counters: [ClassCounters]) -> [String: ClassCounters] {
        var result: [String: ClassCounters] = [:]
        for (id, label) in labels where Int(id) < counters.count {
            result[label] = (result[label] ?? ClassCounters()) + counters[Int(id)]
        }
        return result
    }
}

/// Identity and modification time of a file, to notice a replaced or edited catalog.
struct FileStamp: Equatable {
    var device: UInt64, inode: UInt64, size: Int64, modified: Int
    init?(_ path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modified = info.st_mtim.tv_sec * 1_000_000_000 + info.st_mtim.tv_nsec
    }
}
