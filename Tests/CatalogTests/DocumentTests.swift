// SPDX-License-Identifier: Apache-2.0
import Catalog
import Foundation
import Testing

@Suite struct DocumentTests {
    func rule(_ name: String, _ type: String = "BG_CPUIO", status: RuleStatus = .proposed) -> Rule {
        RuleFingerprint.stamped(Rule(identity: RuleIdentity(name: name), type: type, status: status, source: .heuristic,
                                     reason: "idle # not a comment", seen: "2026-11-26"))
    }

    @Test(arguments: [
        ("schema: schedcat.catalog/v1\nrules: []  # none yet\n", "rules:  # none yet\n  - { name: new1"),
        ("schema: schedcat.catalog/v1\nrules:\n# trailing\n", "rules:\n  - { name: new1"),
        ("schema: schedcat.catalog/v1\n", "schema: schedcat.catalog/v1\nrules:\n  - { name: new1"),
        ("schema: schedcat.catalog/v1", "schema: schedcat.catalog/v1\nrules:\n  - { name: new1"),
        ("schema: schedcat.catalog/v1\nrules:\n- name: a   # mine\n  type: Game\n# end\n", "  type: Game\n- { name: new1"),
        ("schema: schedcat.catalog/v1\nrules: [ { name: a, type: Game } ]\ntypes: {}\n", "{ name: a, type: Game }, { name: new1"),
        ("rules:\n    - { name: a, type: Game }\n    # c\nschema: schedcat.catalog/v1\n", "    - { name: a, type: Game }\n    - { name: new1"),
    ])
    func appendKeepsTheFileAndAddsRules(original: String, expected: String) throws {
        var document = try CatalogDocument(text: original, file: "t.yaml")
        let before = document.catalog.rules.count
        document.append([rule("new1"), rule("new 2")])
        try document.commit()
        #expect(document.catalog.rules.count == before + 2)
        #expect(document.catalog.rules.suffix(2).map(\.name) == ["new1", "new 2"])
        #expect(document.text.contains(expected), "\(document.text)")
        for line in original.split(separator: "\n") {
            if let hash = line.firstIndex(of: "#") {
                #expect(document.text.contains(line[hash...]), "lost comment '\(line[hash...])' in \(document.text)")
            }
        }
        let originalNames = try CatalogDocument(text: original, file: "t.yaml").catalog.rules.map(\.name)
        #expect(Array(document.catalog.rules.prefix(before).map(\.name)) == originalNames)
        #expect(document.catalog.rules.suffix(2).allSatisfy { !RuleFingerprint.wasEditedByHand($0) })
    }

    @Test func replaceRulePatchesOnlyChangedValuesInFlowAndBlockRules() throws {
        let original = """
        # my catalog
        schema: schedcat.catalog/v1
        rules:
          # flow rule
          - { name: flow, type: BG_CPUIO, status: proposed, source: model, reason: "a, b", seen: 2026-11-26 }  # keep me
          - name: block        # block rule
            type: Game
            status: proposed
            nice: -2
            source: model
          - { name: last, type: Game }

        """
        var document = try CatalogDocument(text: original, file: "t.yaml")
        var flow = document.catalog.rules[0]
        flow.status = .accepted
        flow.identity.exe = "/usr/bin/flow"
        flow.reason = nil
        var block = document.catalog.rules[1]
        block.status = .rejected
        block.overrides.nice = nil
        block.identity.exe = "/opt/block bin"
        document.replaceRule(at: 0, with: flow)
        document.replaceRule(at: 1, with: block)
        try document.commit()
        #expect(document.text == """
        # my catalog
        schema: schedcat.catalog/v1
        rules:
          # flow rule
          - { name: flow, type: BG_CPUIO, status: accepted, source: model, seen: 2026-11-26, exe: /usr/bin/flow }  # keep me
          - name: block        # block rule
            type: Game
            status: rejected
            source: model
            exe: "/opt/block bin"
          - { name: last, type: Game }

        """)
        #expect(document.catalog.rules[0].status == .accepted && document.catalog.rules[0].identity.exe == "/usr/bin/flow")
        #expect(document.catalog.rules[1].overrides.nice == nil)
    }

    @Test func storeMarksHandEditsAsHumanAndKeepsThem() throws {
        let path = try Fixtures.temporaryDirectory() + "/c.yaml"
        try CatalogStore.update(path, createIfMissing: true) { $0.append([rule("gen")]) }
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text = text.replacingOccurrences(of: "type: BG_CPUIO", with: "type: Service") + "# a person was here\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let outcome = try CatalogStore.update(path) { $0.append([rule("other")]) }
        #expect(outcome.handEdited == ["gen"])
        let final = try CatalogFile.load(path)
        #expect(final.rules.map(\.name) == ["gen", "other"])
        #expect(final.rules[0].source == .human && final.rules[0].type == "Service" && final.rules[0].fingerprint == nil)
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("# a person was here"))
    }

    @Test func concurrentWritersLoseNothing() async throws {
        let path = try Fixtures.temporaryDirectory() + "/c.yaml"
        try CatalogStore.update(path, createIfMissing: true) { $0.append([rule("seed")]) }
        await withTaskGroup(of: Void.self) { group in
            for writer in 0..<4 {
                group.addTask {
                    for round in 0..<5 {
                        _ = try? CatalogStore.update(path) { $0.append([rule("w\(writer)-\(round)")]) }
                    }
                }
            }
        }
        let names = Set(try CatalogFile.load(path).rules.map(\.name))
        #expect(names.count == 21)
    }
}
