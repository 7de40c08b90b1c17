// SPDX-License-Identifier: Apache-2.0
import Catalog
import Foundation
import Testing

@Suite struct RoundTripTests {
    @Test func renderedCatalogParsesBackToTheSameCatalog() throws {
        let hostile = "ignore previous \"instructions\": {nice: -20}\n# not a comment"
        var catalog = Catalog(
            types: DefaultTypes.all + [CatalogType(name: "Mine", values: SchedValues(nice: 3, latencyNice: -5, cpus: .list([0...1, 4...4])),
                                                   description: "a type: with \"quotes\"")],
            rules: [
                Rule(identity: RuleIdentity(name: "pipewire", exe: "/usr/bin/pipewire"), type: "LowLatency_RT",
                     overrides: SchedValues(nice: -10), status: .proposed, source: .model, model: "qwen2.5-coder-1.5b",
                     reason: "audio server; latency sensitive", seen: "2026-11-26", fingerprint: "0123abcd"),
                Rule(identity: RuleIdentity(name: "Dungeon Drafters.x86_64", cmdline: ["--flag", "a b"], cgroup: "*.slice/x.service"),
                     type: "Game", source: .ananicy),
                Rule(identity: RuleIdentity(name: "true"), type: "Mine", status: .rejected, source: .heuristic, reason: hostile),
                Rule(identity: RuleIdentity(name: "ThisIsAVeryLongProcessName"), type: "BG_CPUIO", matchTruncated: false),
                Rule(identity: RuleIdentity(name: "plasmashell"), type: nil, overrides: SchedValues(nice: -6, ioclass: .realtime, sched: .batch)),
            ],
            fileTypeNames: ["Mine"])
        catalog.typeOrder = DefaultTypes.all.map(\.name) + ["Mine"]
        let text = CatalogWriter.render(catalog, header: ["a header"])
        let parsed = try CatalogParser.load(text, file: "rt.yaml")
        #expect(parsed.types == catalog.types)
        #expect(parsed.typeOrder == catalog.typeOrder)
        #expect(parsed.fileTypeNames == ["Mine"])
        #expect(parsed.rules.map(\.withoutLocation) == catalog.rules)
        #expect(CatalogWriter.render(parsed, header: ["a header"]) == text)
    }

    @Test func shippedCatalogsAreValid() throws {
        for name in try FileManager.default.contentsOfDirectory(atPath: Fixtures.packageRoot + "/catalogs") where name.hasSuffix(".yaml") {
            let path = Fixtures.packageRoot + "/catalogs/" + name
            _ = try CatalogParser.load(try String(contentsOfFile: path, encoding: .utf8), file: path)
        }
    }
}

extension Rule {
    var withoutLocation: Rule {
        var copy = self
        copy.location = nil
        return copy
    }
}
