// SPDX-License-Identifier: Apache-2.0
import Catalog
import Testing

/// `source: audit` proposals share the identity of the rule they would change until a person decides.
@Suite struct AuditAmendmentTests {
    let text = """
        schema: schedcat.catalog/v1
        rules:
          - { name: probe, type: BG_CPUIO, source: model }
          - { name: other, type: Game }
          - { name: probe, type: IN_DIFF, status: proposed, source: audit, reason: "audit nerfed: waits 40x" }

        """

    @Test func anAmendmentMayShareItsRulesIdentityButNeverMatches() throws {
        let document = try CatalogDocument(text: text, file: "t.yaml")
        let catalog = document.catalog
        #expect(catalog.amendedRule(of: catalog.rules[2])?.type == "BG_CPUIO")
        let match = RuleMatcher(catalog).match(ProcessIdentity(comm: "probe"), statuses: [.accepted, .proposed, .rejected])
        #expect(match?.ruleIndex == 0)
        let twice = text + "  - { name: probe, type: Game, status: proposed, source: audit }\n"
        #expect(throws: CatalogInvalid.self) { try CatalogDocument(text: twice, file: "t.yaml") }
    }

    @Test func acceptingMergesTheProposalIntoItsRule() throws {
        var document = try CatalogDocument(text: text, file: "t.yaml")
        let outcome = document.apply([(RuleIdentity(name: "probe"), [.accept])])
        try document.commit()
        #expect(outcome.count("accept") == 1 && outcome.stale.isEmpty)
        #expect(document.catalog.rules.map(\.name) == ["probe", "other"])
        let rule = document.catalog.rules[0]
        #expect(rule.type == "IN_DIFF" && rule.status == .accepted && rule.source == .model && rule.reason == "audit nerfed: waits 40x")
        #expect(document.text.contains("  - { name: other, type: Game }\n"), "\(document.text)")
    }

    @Test func rejectingKeepsTheProposalAsRejectedAndTheRuleAsItWas() throws {
        var document = try CatalogDocument(text: text, file: "t.yaml")
        _ = document.apply([(RuleIdentity(name: "probe"), [.reject])])
        try document.commit()
        #expect(document.catalog.rules.map(\.type) == ["BG_CPUIO", "Game", "IN_DIFF"])
        #expect(document.catalog.rules[2].status == .rejected && document.catalog.rules[2].isAuditAmendment)
        let match = RuleMatcher(document.catalog).match(ProcessIdentity(comm: "probe"))
        #expect(match?.rule.type == "BG_CPUIO", "a rejected audit proposal does not stop the rule from applying")
    }
}
