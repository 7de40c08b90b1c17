// SPDX-License-Identifier: Apache-2.0
import Catalog
import Testing

@Suite struct ValidationTests {
    func errors(_ yaml: String) -> [Diagnostic] {
        CatalogParser.parse(yaml, file: "t.yaml").diagnostics.filter { $0.severity == .error }
    }

    func error(_ diagnostics: [Diagnostic], key: String, line: Int, column: Int, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(diagnostics.contains { $0.key == key && $0.location?.line == line && $0.location?.column == column },
                "no error for '\(key)' at \(line):\(column) in \(diagnostics)", sourceLocation: sourceLocation)
    }

    @Test func defaultTypesAreTheCachyOSValues() {
        let types = Dictionary(uniqueKeysWithValues: DefaultTypes.all.map { ($0.name, $0.values) })
        #expect(types.count == 15)
        #expect(types["Game"] == SchedValues(nice: -5, ioclass: .bestEffort, sched: .normal))
        #expect(types["LowLatency_RT"] == SchedValues(nice: -12, ioclass: .bestEffort))
        #expect(types["BG_CPUIO"] == SchedValues(nice: 16, ioclass: .idle, sched: .idle))
        #expect(types["BG_CPU"] == SchedValues(nice: 14, ioclass: .bestEffort, sched: .idle))
        #expect(types["Launcher"] == SchedValues(nice: 16, ioclass: .idle, sched: .normal))
        #expect(types["Heavy_CPU"] == SchedValues(nice: 9, ioclass: .bestEffort, ionice: 7))
        #expect(types["Chat"] == SchedValues(nice: -3, ioclass: .bestEffort, ionice: 7))
        #expect(types["Service"] == SchedValues(nice: 10, ioclass: .bestEffort, ionice: 6))
        #expect(types["IN_DIFF"] == SchedValues(nice: 0, ioclass: .bestEffort, ionice: 7))
        #expect(types["OOM_KILL"] == SchedValues(oomScoreAdj: 1000))
        #expect(types["OOM_NO_KILL"] == SchedValues(oomScoreAdj: -1000))
        for name in ["Player-Audio", "Player-Video", "Image-View", "Doc-View"] {
            #expect(types[name] == SchedValues(nice: -4))
        }
        #expect(DefaultTypes.all.allSatisfy { ($0.description ?? "").count > 10 })
    }

    @Test func everyErrorIsReportedInOnePassWithLineAndColumn() {
        let yaml = """
        schema: schedcat.catalog/v1
        types:
          Mine: { nice: 25, iocalss: idle }
        rules:
          - name: pipewire
            type: LowLatency_RT
          - name: pipewire
            type: LowLatency_RT
          - { name: foo, type: NoSuchType }
          - { name: bar, type: Game, nice: -21, ionice: 9, sched: realtime }
          - { name: baz, type: Game, exe: relative/path, staus: accepted }
          - { name: ThisIsAVeryLongProcessNameA, type: Game }
          - { name: ThisIsAVeryLongProcessNameB, type: BG_CPUIO }
          - { name: ok, type: Game, cpus: "0-3,x" }
        """
        let found = errors(yaml)
        error(found, key: "nice", line: 3, column: 17)
        error(found, key: "iocalss", line: 3, column: 21)
        error(found, key: "name", line: 7, column: 5)
        error(found, key: "type", line: 9, column: 5)
        error(found, key: "nice", line: 10, column: 36)
        error(found, key: "ionice", line: 10, column: 49)
        error(found, key: "sched", line: 10, column: 59)
        error(found, key: "exe", line: 11, column: 35)
        error(found, key: "staus", line: 11, column: 50)
        error(found, key: "name", line: 12, column: 5)
        error(found, key: "name", line: 13, column: 5)
        error(found, key: "cpus", line: 14, column: 35)
        #expect(found.count == 12, "\(found.map(\.description).joined(separator: "\n"))")
        #expect(found.first { $0.key == "staus" }?.message.contains("did you mean 'status'") == true)
        #expect(found.first { $0.key == "type" }?.description.hasPrefix("t.yaml:9:5: error: 'type': unknown type 'NoSuchType'") == true)
    }

    @Test func truncationCollisionWithEqualValuesIsFine() {
        let yaml = """
        schema: schedcat.catalog/v1
        rules:
          - { name: ThisIsAVeryLongProcessNameA, type: Game }
          - { name: ThisIsAVeryLongProcessNameB, type: Game }
          - { name: ThisIsAVeryLongProcessNameC, type: BG_CPUIO, match_truncated: false }
          - { name: ThisIsAVeryLongProcessNameD, type: BG_CPUIO, exe: /opt/d/bin }
        """
        #expect(errors(yaml).isEmpty)
    }

    @Test func malformedYAMLNamesLineAndColumn() {
        let found = errors("schema: schedcat.catalog/v1\nrules:\n  - { name: foo, type: Game\n  - name: bar\n")
        #expect(found.count == 1)
        #expect(found[0].location != nil)
        #expect(found[0].message.hasPrefix("malformed YAML"))
        let duplicateKey = errors("schema: schedcat.catalog/v1\nrules:\n  - { name: foo, type: Game, type: BG_CPUIO }\n")
        #expect(duplicateKey.count == 1 && duplicateKey[0].message.contains("duplicate key"))
        #expect(duplicateKey[0].location?.line == 3)
    }

    @Test func missingSchemaAndWrongShapes() {
        #expect(errors("rules: []\n").contains { $0.key == "schema" })
        #expect(errors("schema: schedcat.catalog/v2\n").contains { $0.key == "schema" && $0.location?.line == 1 })
        #expect(errors("- a\n- b\n").count == 1)
        #expect(errors("schema: schedcat.catalog/v1\nrules: {a: b}\n").contains { $0.key == "rules" })
        #expect(errors("schema: schedcat.catalog/v1\nrules:\n  - { type: Game }\n").contains { $0.key == "name" })
    }

    @Test func rulesOverrideTypesAndInheritDefaults() throws {
        let catalog = try CatalogParser.load("""
        schema: schedcat.catalog/v1
        types:
          Game: { nice: -7 }
          Quiet: { nice: 5, latency_nice: 10, cpus: "0-1,3" }
        rules:
          - { name: game, type: Game }
          - { name: quiet, type: Quiet, nice: 7, ioclass: idle }
          - { name: service, type: Service }
        """, file: "t.yaml")
        #expect(catalog.types.count == 16)
        #expect(catalog.effectiveValues(of: catalog.rules[0]) == SchedValues(nice: -7))
        #expect(catalog.effectiveValues(of: catalog.rules[1]) ==
                SchedValues(nice: 7, latencyNice: 10, ioclass: .idle, cpus: .list([0...1, 3...3])))
        #expect(catalog.effectiveValues(of: catalog.rules[2]) == SchedValues(nice: 10, ioclass: .bestEffort, ionice: 6))
    }
}
