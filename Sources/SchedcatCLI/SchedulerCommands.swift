// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Catalog
import Compile
import Enforcement
import Foundation
import LinuxSystem

struct SchedulerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scheduler",
        abstract: "The sched_ext BPF scheduler: compile a catalog into its maps, load it, show its state.",
        subcommands: [LoadScheduler.self, SchedulerStatus.self, CompileScheduler.self]
    )
}

/// Options shared by `load` and `compile`.
struct PolicyOptions: ParsableArguments {
    @Option(help: "The catalog YAML file.") var catalog: String
    @Flag(help: "Also apply rules with status: proposed.") var includeProposed = false

    func compile(previous: [CompiledClass] = []) throws -> (CompiledPolicy, ProcessResolver) {
        let loaded = try CatalogFile.load(catalog)
        return PolicyCompiler.compile(loaded, options: CompileOptions(includeProposed: includeProposed, previousClasses: previous))
    }
}

struct LoadScheduler: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Attach the scheduler with the catalog's policy; reload on SIGHUP or a catalog change; detach on SIGINT/SIGTERM.")

    @OptionGroup var policy: PolicyOptions
    @Option(help: "Print per-type counters every SECONDS.") var stats: Double?
    @Option(help: "The BPF object (default: $SCHEDCAT_BPF_OBJECT, or scx_catalog.bpf.o beside the binary).")
    var bpfObject: String?
    @Flag(help: "Show libbpf's debug log.") var verbose = false

    func run() async throws {
        do {
            try SchedulerRunner.checkKernel()
        } catch let unavailable as SchedulerUnavailable {
            printError("error: \(unavailable)")
            throw Exit.failure
        }
        var options = SchedulerOptions(objectPath: try BPFObjectLocator.find(bpfObject), catalogPath: policy.catalog,
                                       statsInterval: stats)
        options.verboseLibbpf = verbose
        let policyOptions = policy
        let runner = SchedulerRunner(options: options, compile: { try policyOptions.compile(previous: $0) }, say: { line in
            // one line per message: a rule name or path in it cannot start a line of its own
            FileHandle.standardOutput.write(Data((line.escapedForTerminal + "\n").utf8))
        })
        // The runner compiles the catalog before it loads anything: a bad catalog exits 2 from there.
        let status: Int32
        do {
            status = try reportingErrors { try runner.run() }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            printError("error: \(error)")
            throw Exit.failure
        }
        if status != 0 { throw ExitCode(status) }
    }
}

struct SchedulerStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Attached or not, catalog generation, per-type counters.")

    @Flag(help: "Print JSON for scripts.") var json = false

    func run() async throws {
        let report = SchedulerStatusReport.read()
        if let catalog = report.catalog { pointToAudit(catalog: catalog) }
        if json {
            try printJSON(report)
            return
        }
        print("scheduler: \(report.attached ? "attached" : "not attached") (sched_ext \(report.sched_ext)" +
              (report.ops.map { ", ops \($0)" } ?? "") + ")")
        if let catalog = report.catalog {
            print("catalog: \(catalog), generation \(report.generation.map(String.init) ?? "?"), loader pid \(report.loaderPID ?? 0)")
            print("rules: \(report.rulesLoaded ?? 0) loaded (\(report.commEntries ?? 0) comm entries, \(report.exeEntries ?? 0) exe entries, " +
                  "\(report.perProcessRules ?? 0) matched per process)")
        }
        if !report.types.isEmpty {
            print(renderTable(["TYPE", "ENQUEUES", "CPU_S", "PREEMPTS", "IDLE_RESCUES"], report.types.map {
                [$0.type, "\($0.enqueues)", String(format: "%.2f", $0.runtimeSeconds), "\($0.preemptKicks)", "\($0.idleRescues)"]
            }))
        }
        if let events = report.events {
            print("events: " + SchedulerStatusReport.eventNames.map { "\($0)=\(events[$0] ?? 0)" }.joined(separator: " "))
        }
        if let note = report.note { print("note: \(note.escapedForTerminal)") }
    }
}

struct CompileScheduler: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "compile", abstract: "Show the map entries `load` would write.")

    @OptionGroup var policy: PolicyOptions
    @Flag(help: "Print JSON (the only format for now).") var json = false

    func run() async throws {
        let (compiled, _) = try reportingErrors { try policy.compile() }
        if json {
            try printJSON(compiled)
            return
        }
        let vouching = compiled.exe.count { $0.vouchedName }
        print("\(compiled.rulesInEffect) rules in effect: \(compiled.comm.count) comm entries, " +
              "\(compiled.exe.count - vouching) exe pins, \(vouching) system files vouching for boosted names, " +
              "\(compiled.perProcessRules.count) per-process rules, \(compiled.classes.count) classes, " +
              "\(compiled.collisions.count) collisions (--json shows every entry)")
        for collision in compiled.collisions { print("collision: \(collision.message.escapedForTerminal)") }
    }
}

/// Where the scheduler's BPF object is: --bpf-object, $SCHEDCAT_BPF_OBJECT, beside the binary,
/// ../lib/schedcat/, or the package's .build-bpf/ for a development build.
enum BPFObjectLocator {
    static let fileName = "scx_catalog.bpf.o"

    static func find(_ explicit: String?) throws -> String {
        if let explicit { return explicit }
        if let fromEnvironment = ProcessInfo.processInfo.environment["SCHEDCAT_BPF_OBJECT"] { return fromEnvironment }
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let candidates = [binary.appendingPathComponent(fileName),
                          binary.appendingPathComponent("../lib/schedcat/\(fileName)"),
                          binary.appendingPathComponent("../../.build-bpf/\(fileName)")].map(\.standardizedFileURL.path)
        if let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) { return found }
        printError("error: no \(fileName) found (looked at \(candidates.joined(separator: ", "))); " +
                   "build it with scripts/build-bpf and pass --bpf-object or set SCHEDCAT_BPF_OBJECT")
        throw Exit.failure
    }
}
