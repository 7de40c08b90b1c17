// SPDX-License-Identifier: Apache-2.0
import Advice
import ArgumentParser
import Audit
import Catalog
import Foundation

struct ExplainCatalog: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain", abstract: "For every process: which rule matched, why, and the values it gets.")

    @OptionGroup var input: SnapshotInput
    @Option(help: "The catalog.") var catalog: String
    @Flag(help: "Let proposed rules match too.") var includeProposed = false
    @Flag(help: "Print JSON for scripts.") var json = false

    func run() async throws {
        let loaded = try reportingErrors { try CatalogFile.load(catalog) }
        var explanations = Explainer.explain(try await input.processes(), catalog: loaded, includeProposed: includeProposed)
        if let audit = AuditStateFiles.fromEnvironment.lastAudit(of: catalog) {
            for index in explanations.indices {
                explanations[index].audit = audit.verdict(pid: explanations[index].pid, comm: explanations[index].comm)
            }
        }
        if json {
            try printJSON(explanations)
            return
        }
        print(renderTable(["PID", "COMM", "RULE", "TYPE", "STATUS", "MATCHED BY", "NICE", "NOTE"], explanations.map { item in
            var notes: [String] = []
            if !item.conditions.isEmpty { notes.append("+" + item.conditions.joined(separator: "+")) }
            if let why = item.withheldBecause { notes.append("boost withheld: \(why)") }
            if let line = item.ruleLine { notes.append("\(catalog):\(line)") }
            if let verdict = item.audit { notes.append("last audit: \(verdict)") }
            return ["\(item.pid)", item.comm, item.rule ?? "-", item.type ?? "-", item.status ?? "-", item.matchedBy ?? "-",
                    item.nice.map(String.init) ?? "-", notes.joined(separator: " ")]
        }))
        let matched = explanations.filter { $0.rule != nil }.count
        print("\(matched) of \(explanations.count) processes matched a rule")
    }
}
