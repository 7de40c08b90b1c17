// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Audit
import Catalog
import Compile
import Config
import Daemon
import Enforcement
import Foundation
import LinuxSystem

struct DaemonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "daemon",
        abstract: "Keep the catalog fresh: every interval, profile and ask about new processes; optionally enforce it too.",
        discussion: """
            Every --interval: profile the machine, ask the model about processes no rule covers (no calls when nothing \
            is new), add the proposals, and auto-accept what the config's auto_accept allows. With --apply or \
            --scheduler the same process also enforces the catalog and picks up every change within a second; a dead \
            model endpoint is logged and retried at the next tick while enforcement goes on with the last good catalog. \
            One JSON line per tick on stdout, then the tick's audit (catalog audit over --audit-window): a JSON line \
            {"audit": ...} and one {"audit_finding": ...} per finding.
            """)

    @Option(help: "The catalog (default: 'catalog' in the config file).") var catalog: String?
    @Option(help: "Time between ticks: 90s, 15m, 1h (default: the config's interval, else 15m).") var interval: String?
    @Flag(help: "Also enforce the catalog with the classic backend (schedcat apply).") var apply = false
    @Flag(help: "Also run the sched_ext scheduler (schedcat scheduler load).") var scheduler = false
    @Option(help: "Model endpoint (default: $SCHEDCAT_ENDPOINT, config, local servers).") var endpoint: String?
    @Option(help: "Model name.") var model: String?
    @Option(help: ArgumentHelp(modelTimeoutHelp, valueName: "seconds")) var timeout: Double?
    @Option(help: "Seconds between the profile's two reads.") var window: Double = 3
    @Option(help: "Only classify processes whose comm matches this regular expression.") var onlyComm: String?
    @Option(help: "Stop after this many ticks (1 = a single regenerate pass, e.g. from cron).") var ticks: Int?
    @Option(help: "With --scheduler: the BPF object.") var bpfObject: String?
    @Option(help: "Config file.") var config: String?
    @Option(help: "Each tick, audit the catalog over this window (catalog audit); 0 turns the audit off.") var auditWindow = "30s"

    func validate() throws {
        if apply && scheduler { throw ValidationError("--apply and --scheduler exclude each other") }
        if auditWindow != "0" && SchedcatConfig.parseDuration(auditWindow) == nil {
            throw ValidationError("--audit-window: a duration like 30s, or 0 for no audit")
        }
        if let interval, SchedcatConfig.parseDuration(interval) == nil { throw ValidationError("--interval: a duration like 90s, 15m or 1h") }
        try validateModelTimeout(timeout)
    }

    func run() async throws {
        var settings = try loadConfig(config)
        let path = try catalogPath(catalog, settings, config: config)
        if let interval { settings.interval = SchedcatConfig.parseDuration(interval)! }
        if let timeout { settings.timeout = timeout }
        var regenerate = Regenerator.Settings(catalogPath: path, config: settings)
        regenerate.endpoint = endpoint
        regenerate.model = model
        regenerate.window = .milliseconds(Int64(window * 1000))
        regenerate.onlyComm = onlyComm
        let every = settings.interval
        let limit = ticks
        let audit = auditWindow == "0" ? nil : SchedcatConfig.parseDuration(auditWindow)
        say("regenerating \(path) every \(every)" + (apply ? ", applying it" : scheduler ? ", scheduling with it" : ""))

        let loop = Task {
            var regenerator = Regenerator(settings: regenerate)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            var count = 0
            while !Task.isCancelled {
                let report = await regenerator.tick()
                count += 1
                if let data = try? encoder.encode(report) { print(String(decoding: data, as: UTF8.self)) }
                if let error = report.error { say(error) }
                fflush(nil)
                if let audit { await auditTick(path, window: audit, encoder: encoder) }
                if let limit, count >= limit { break }
                try? await Task.sleep(for: every)
            }
        }
        if apply || scheduler {
            let backend = try backendLoop(catalog: path)
            let status = await Task.detached { backend() }.value
            loop.cancel()
            if status != 0 { throw ExitCode(status) }
        } else {
            await loop.value
        }
    }

    /// The enforcement loop, run on its own thread until SIGINT/SIGTERM; returns an exit status.
    private func backendLoop(catalog path: String) throws -> @Sendable () -> Int32 {
        do {
            if !apply { try SchedulerRunner.checkKernel() }
        } catch let unavailable as SchedulerUnavailable {
            printError("error: \(unavailable)")
            throw Exit.failure
        }
        let backend: EnforcementBackend = apply ? .classic : .scheduler(objectPath: try BPFObjectLocator.find(bpfObject))
        return { backend.run(catalogPath: path, say: say) }
    }
}

/// One audit per tick: a summary line and one JSON line per finding on stdout.
private func auditTick(_ path: String, window: Duration, encoder: JSONEncoder) async {
    let outcome = await AuditTick.run(catalogPath: path, window: window)
    outcome.errors.forEach(say)
    guard let report = outcome.report else { return }
    struct Summary: Encodable {
        var audit: AuditSummary
    }
    struct AuditSummary: Encodable {
        var findings: Int
        var processesSampled: Int
        var cpuMsPerProcess: Double
        enum CodingKeys: String, CodingKey {
            case findings, processesSampled = "processes_sampled", cpuMsPerProcess = "cpu_ms_per_process"
        }
    }
    struct FindingLine: Encodable {
        var auditFinding: Finding
        enum CodingKeys: String, CodingKey { case auditFinding = "audit_finding" }
    }
    var lines: [any Encodable] = [Summary(audit: AuditSummary(findings: report.findings.count, processesSampled: report.processesSampled,
                                                               cpuMsPerProcess: report.cpuMsPerProcess))]
    lines += report.findings.map { FindingLine(auditFinding: $0) }
    for line in lines {
        if let data = try? encoder.encode(line) { print(String(decoding: data, as: UTF8.self)) }
    }
    fflush(nil)
}

private func say(_ line: String) {
    printError("schedcat daemon: \(line.escapedForTerminal)")
}
