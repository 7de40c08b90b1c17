// SPDX-License-Identifier: Apache-2.0
import Advice
import ArgumentParser
import Catalog
import Foundation
import LinuxSystem

struct ReviewCatalog: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Accept, reject or edit proposed rules: interactively on a terminal, or with flags in scripts.")

    @Argument(help: "The catalog.") var file: String
    @Option(name: .customLong("accept"), parsing: .upToNextOption, help: "Accept the proposed rules with these names.")
    var acceptNames: [String] = []
    @Option(name: .customLong("reject"), parsing: .upToNextOption, help: "Reject the proposed rules with these names.")
    var rejectNames: [String] = []
    @Option(name: .customLong("set-type"), parsing: .upToNextOption, help: "NAME=TYPE: give the rules with this name another type.")
    var setTypes: [String] = []
    @Flag(help: "Accept every proposed rule.") var acceptAll = false
    @Flag(help: "List the proposed rules and change nothing.") var list = false
    @Flag(help: "With --list: print JSON.") var json = false

    func run() async throws {
        let catalog = try reportingErrors { try CatalogFile.load(file) }
        let proposed = catalog.rules.filter { $0.status == .proposed }
        let scripted = acceptAll || !acceptNames.isEmpty || !rejectNames.isEmpty || !setTypes.isEmpty
        if list || (!scripted && isatty(0) == 0) {
            try printList(proposed, catalog)
            if !list { printError("stdin is not a terminal: pass --accept/--reject/--set-type/--accept-all, or run on a terminal") }
            return
        }
        let decisions = scripted ? try scriptedDecisions(catalog)
                                 : try ReviewSession(file: file, catalog: catalog, evidence: Evidence.load(for: file)).run()
        try save(decisions)
    }

    private func scriptedDecisions(_ catalog: Catalog) throws -> [(RuleIdentity, [ReviewDecision])] {
        var decisions: [RuleIdentity: [ReviewDecision]] = [:]
        var order: [RuleIdentity] = []
        func add(_ rules: [Rule], _ decision: ReviewDecision) {
            for rule in rules {
                if decisions[rule.identity] == nil { order.append(rule.identity) }
                decisions[rule.identity, default: []].append(decision)
            }
        }
        func proposedNamed(_ name: String) throws -> [Rule] {
            let rules = catalog.rules.filter { $0.name == name && $0.status == .proposed }
            guard !rules.isEmpty else {
                printError("error: no proposed rule named '\(name.escapedForTerminal)' in \(file)")
                throw Exit.invalidInput
            }
            return rules
        }
        for pair in setTypes {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, catalog.types[parts[1]] != nil else {
                printError("error: --set-type \(pair): expected NAME=TYPE with TYPE one of \(catalog.typeOrder.joined(separator: ", "))")
                throw Exit.invalidInput
            }
            let rules = catalog.rules.filter { $0.name == parts[0] }
            guard !rules.isEmpty else {
                printError("error: no rule named '\(parts[0])' in \(file)")
                throw Exit.invalidInput
            }
            add(rules, .setType(parts[1]))
        }
        for name in acceptNames { add(try proposedNamed(name), .accept) }
        for name in rejectNames { add(try proposedNamed(name), .reject) }
        if acceptAll { add(catalog.rules.filter { $0.status == .proposed }, .accept) }
        return order.map { ($0, decisions[$0]!) }
    }

    private func save(_ decisions: [(RuleIdentity, [ReviewDecision])]) throws {
        guard !decisions.isEmpty else {
            print("nothing decided; \(file) unchanged")
            return
        }
        var outcome = ReviewOutcome()
        try reportingErrors {
            try CatalogStore.update(file) { document in outcome = document.apply(decisions) }
        }
        print("saved \(file): \(outcome.count("accept")) accepted, \(outcome.count("reject")) rejected, " +
              "\(outcome.count("retype")) retyped, \(outcome.count("pin")) pins changed")
        for identity in outcome.stale {
            printError("note: \("\(identity)".escapedForTerminal) is no longer a proposal (changed meanwhile); left as it is")
        }
    }

    private func printList(_ rules: [Rule], _ catalog: Catalog) throws {
        if json {
            try printJSON(rules.map { EffectiveRule(rule: $0, values: catalog.effectiveValues(of: $0)) })
            return
        }
        print(renderTable(["NAME", "TYPE", "NICE", "SOURCE", "CONF", "EXE PIN", "CHANGES", "REASON"], rules.map { rule in
            [rule.name, rule.type ?? "-", catalog.effectiveValues(of: rule).nice.map(String.init) ?? "-",
             rule.source.rawValue + (rule.model.map { "/\($0)" } ?? ""), rule.confidence.map(Rule.confidenceText) ?? "-",
             rule.identity.exe ?? "-",
             catalog.amendedRule(of: rule).map { "rule at \(file):\($0.location?.line ?? 0) (\($0.type ?? "custom"))" } ?? "new rule",
             rule.reason ?? ""]
        }))
        print("\(rules.count) proposed rules")
    }
}
