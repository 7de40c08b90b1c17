// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Catalog
import Compile
import Enforcement
import Foundation
import LinuxSystem

struct ApplyCatalog: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Apply a catalog with setpriority, sched_setscheduler, ioprio_set and CPU affinity (kernels without sched_ext).",
        discussion: """
            Sets nice, scheduling policy, IO priority and affinity on every thread of each process a rule matches, and \
            oom_score_adj on the process. Kernel threads, realtime threads and unmatched processes are left alone. \
            Without --once it keeps running: new and renamed processes are handled as they appear, and the catalog is \
            applied again whenever its file changes.
            """)

    @Option(help: "The catalog (default: 'catalog' in the config file).") var catalog: String?
    @Flag(help: "One pass, then exit.") var once = false
    @Flag(help: "Print what would change; change nothing.") var dryRun = false
    @Flag(help: "Let proposed rules apply too.") var includeProposed = false
    @Flag(help: "One JSON object per change on stdout.") var json = false
    @Option(help: "Config file.") var config: String?

    func run() async throws {
        let settings = try loadConfig(config)
        let path = try catalogPath(catalog, settings, config: config)
        var options = ClassicEnforcer.Options(catalogPath: path)
        options.dryRun = dryRun
        let includeProposed = self.includeProposed
        let json = self.json
        let prefix = dryRun ? "would set " : ""
        let enforcer = ClassicEnforcer(
            options: options,
            load: { ClassicPolicy(catalog: try CatalogFile.load(path), file: path, includeProposed: includeProposed) },
            report: { change in
                if json {
                    if let data = try? JSONEncoder().encode(change) { print(String(decoding: data, as: UTF8.self)) }
                } else {
                    print(prefix + change.description)
                }
                fflush(nil)
            },
            say: { printError("schedcat apply: \($0.escapedForTerminal)") })
        pointToAudit(catalog: path)
        try reportingErrors {
            if once {
                let changes = try enforcer.runOnce()
                if !json { printError("schedcat apply: \(changes.count) change(s)\(dryRun ? " (dry run)" : "")") }
            } else {
                try enforcer.run()
            }
        }
    }
}
