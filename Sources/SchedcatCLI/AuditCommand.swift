// SPDX-License-Identifier: Apache-2.0
import Advice
import ArgumentParser
import Audit
import Catalog
import Config
import Foundation

struct AuditCatalog: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check the catalog against how the processes it matches really behave (nerfed, hog, leaked, ineffective, idle rules).",
        discussion: """
            Reads the kernel's accounting of every process a rule matches, and of the children that inherited a launcher \
            rule's settings, twice, --window apart: run time, run-queue wait, timeslices, context switches, CPU share, \
            nice and policy in force. Prints each finding with its numbers and the rule's file:line. --propose writes \
            proposals (status: proposed, source: audit) for `catalog review`; rules a person wrote are only flagged.
            """)

    @Option(help: "The catalog.") var catalog: String
    @Option(help: "Time between the two reads: 30s, 5s, 1m.") var window = "30s"
    @Flag(help: "Print the report as JSON.") var json = false
    @Flag(help: "Turn findings into proposals in the catalog for `catalog review`.") var propose = false

    func validate() throws {
        guard SchedcatConfig.parseDuration(window) != nil else { throw ValidationError("--window: a duration like 30s or 1m") }
    }

    func run() async throws {
        let loaded = try reportingErrors { try CatalogFile.load(catalog) }
        let state = AuditStateFiles.fromEnvironment
        let auditor = Auditor(catalog: loaded, file: catalog)
        let report = await auditor.run(window: SchedcatConfig.parseDuration(window)!, history: state.history())
        do {
            try state.save(lastAudit: report)
        } catch {
            printError("note: last audit not saved in \(state.directory): \(error)")
        }
        if json {
            try printJSON(report)
        } else {
            printReport(report)
        }
        if propose {
            let outcome = try reportingErrors { try AuditProposals.write(report, to: catalog, seen: Generator.today()) }
            for line in outcome.written { printError("proposed \(line.escapedForTerminal)") }
            printError("\(outcome.written.count) proposal(s) written to \(catalog) for `schedcat catalog review`; " +
                       "\(outcome.flagged.count) finding(s) only flagged (rules a person wrote, nothing to propose, or proposed before)")
        }
    }

    private func printReport(_ report: AuditReport) {
        if !report.findings.isEmpty {
            print(renderTable(["FINDING", "PID", "COMM", "RULE", "TYPE", "AT", "PROPOSE"], report.findings.map { finding in
                [finding.kind.rawValue, finding.pid.map(String.init) ?? "-", finding.comm ?? "-", finding.rule,
                 finding.ruleType ?? "-", finding.ruleLocation ?? "-",
                 finding.ruleSource == "human" && finding.kind != .leaked ? "(human rule: flagged only)" : finding.proposedType ?? "-"]
            }))
            for finding in report.findings {
                print("\(finding.kind.rawValue) \(finding.rule)\(finding.ruleLocation.map { " (\($0))" } ?? ""): \(finding.detail)".escapedForTerminal)
            }
        }
        if let types = report.schedulerTypes, !types.isEmpty {
            print(renderTable(["SCHEDULER TYPE", "ENQUEUES", "CPU", "PREEMPTS", "IDLE_RESCUES"], types.map {
                [$0.type, "\($0.enqueues)", String(format: "%.1f%%", $0.cpuShare * 100), "\($0.preemptKicks)", "\($0.idleRescues)"]
            }))
        }
        print(String(format: "%d finding(s); %d of %d processes sampled over %.1f s (%@ backend); audit cpu %.2f ms, %.3f ms per process " +
                     "(finding them %.2f ms, watching one %.3f ms)",
                     report.findings.count, report.processesSampled, report.processesScanned, report.windowSeconds,
                     report.backend, report.cpuMs, report.cpuMsPerProcess, report.discoveryCpuMs, report.samplingCpuMsPerProcess))
    }
}
