// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Catalog
import Foundation
import LinuxSystem

struct DiffCatalog: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff", abstract: "Rules added, removed and changed between two catalogs, by effective values.")

    @Argument(help: "The old catalog.") var old: String
    @Argument(help: "The new catalog.") var new: String
    @Flag(help: "Print JSON.") var json = false

    struct Entry: Encodable {
        var change: String
        var rule: EffectiveRule
        var before: EffectiveRule?
    }

    func run() async throws {
        let (before, after) = try reportingErrors { (try CatalogFile.load(old), try CatalogFile.load(new)) }
        let diff = CatalogDiff(old: before, new: after)
        var entries = diff.added.map { Entry(change: "added", rule: EffectiveRule(rule: $0.0, values: $0.1)) }
        entries += diff.removed.map { Entry(change: "removed", rule: EffectiveRule(rule: $0.0, values: $0.1)) }
        entries += diff.changed.map {
            Entry(change: "changed", rule: EffectiveRule(rule: $0.after, values: $0.afterValues),
                  before: EffectiveRule(rule: $0.before, values: $0.beforeValues))
        }
        if json {
            try printJSON(entries)
            return
        }
        for entry in entries {
            let describe = { (rule: EffectiveRule) in
                "\(rule.type ?? "-") \(rule.status) " + rule.values.keyValues.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            }
            switch entry.change {
            case "added": print("+ \(entry.rule.name) [\(entry.rule.conditions)]: \(describe(entry.rule))".escapedForTerminal)
            case "removed": print("- \(entry.rule.name) [\(entry.rule.conditions)]: \(describe(entry.rule))".escapedForTerminal)
            default:
                print("~ \(entry.rule.name) [\(entry.rule.conditions)]: \(describe(entry.before!)) -> \(describe(entry.rule))"
                    .escapedForTerminal)
            }
        }
        print("\(diff.added.count) added, \(diff.removed.count) removed, \(diff.changed.count) changed")
    }
}
