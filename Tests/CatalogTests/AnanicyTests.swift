// SPDX-License-Identifier: Apache-2.0
import Catalog
import Foundation
import Testing

@Suite(.serialized) struct AnanicyTests {
    @Test func importsTheWholeCachyOSCatalog() throws {
        let result = try AnanicyImporter.importTree(Fixtures.ananicyTree())
        // 15,796 "name" entries in the tree: 15,795 active rules + one commented out (sxhkd.rules:3).
        #expect(result.catalog.rules.count == 15_795)
        #expect(result.commentedOutRules.count == 1)
        #expect(result.commentedOutRules.first?.description.contains("sxhkd.rules:3") == true)
        #expect(result.catalog.rules.count + result.commentedOutRules.count == 15_796)
        #expect(result.catalog.types.count == 15)
        // The tree's types are the defaults, so the file inherits them instead of repeating them.
        #expect(result.catalog.fileTypeNames.isEmpty)
        // Every line that was not converted as is is reported with file:line.
        let notes = result.notes.map(\.description)
        #expect(notes.contains { $0.contains("linux-native_d.rules:315") && $0.contains("'+'") })
        #expect(notes.contains { $0.contains("gnome.rules") && $0.contains("'TODO'") })
        #expect(notes.filter { $0.contains("00-cgroups.cgroups") }.count == 3)

        let byName = Dictionary(result.catalog.rules.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let values = { (name: String) in result.catalog.effectiveValues(of: byName[name]!) }
        #expect(byName["pipewire"]?.type == "LowLatency_RT")
        #expect(values("pipewire") == SchedValues(nice: -12, ioclass: .bestEffort))
        #expect(byName["JustCause2.exe"]?.type == "Game")
        #expect(byName["portal2_linux"]?.type == "Game")
        #expect(byName["Dungeonhaven-Win64-Shipping.exe"]?.type == "Game")
        #expect(byName["Dungeonhaven.exe"]?.type == "BG_CPUIO")
        #expect(byName["Dungeon Drafters.x86_64"]?.type == "Game")
        #expect(values("plasmashell") == SchedValues(nice: -6))
        #expect(values("thrash-protect") == SchedValues(nice: -12, ioclass: .realtime))
        #expect(values("bees") == SchedValues(nice: 16, ioclass: .idle, sched: .idle, oomScoreAdj: 1000))
        #expect(values("firewalld") == SchedValues(nice: 16, ioclass: .idle, ionice: 1, sched: .idle))
        #expect(byName["tumblerd"]?.status == .rejected && byName["tumblerd"]?.type == nil)
        #expect(result.catalog.rules.allSatisfy { $0.source == .ananicy })
        #expect(result.truncationOptOuts == 327)

        // The written file is a valid catalog with the same content.
        let text = CatalogWriter.render(result.catalog)
        let reparsed = try CatalogParser.load(text, file: "cachyos.yaml")
        #expect(reparsed.rules.map(\.withoutLocation) == result.catalog.rules)
    }

    @Test func exportThenReimportEqualsTheImport() throws {
        let first = try AnanicyImporter.importTree(Fixtures.ananicyTree()).catalog
        let directory = try Fixtures.temporaryDirectory()
        let exported = try AnanicyExporter.export(first, to: directory, sourceName: "test", overwrite: false)
        #expect(exported.rulesWritten == first.rules.count)
        let second = try AnanicyImporter.importTree(directory).catalog
        #expect(second.rules == first.rules)
        #expect(second.types == first.types)
        #expect(second.typeOrder == first.typeOrder)
        #expect(throws: CatalogIOError.self) {
            try AnanicyExporter.export(first, to: directory, sourceName: "test", overwrite: false)
        }
    }

    @Test func importsQuirkyLinesAndReportsWhatItCannotConvert() throws {
        let directory = try Fixtures.temporaryDirectory()
        let nested = directory + "/00-default/Development & Programming"
        try FileManager.default.createDirectory(atPath: nested, withIntermediateDirectories: true)
        try """
        # comment
        { "type": "Mine", "nice": 3, "latency_nice": -4, "cgroup": "cpu80" }
        { "type": "Bad", "sched": "fifo" }
        """.write(toFile: directory + "/my.types", atomically: true, encoding: .utf8)
        try """
        {"name": "a b&c", "type": "Mine"}
          { "name" : "quoted \\"name\\"", "type": "Game", "ionice": 9 }
        not json
        { "name": "/usr/bin/x", "type": "Game" }
        { "name": "weird", "type": "Game", "frobnicate": 1 }
        # { "name": "old", "type": "Game" }
        """.write(toFile: nested + "/dev tools.rules", atomically: true, encoding: .utf8)
        let result = try AnanicyImporter.importTree(directory)
        #expect(result.catalog.rules.map(\.name) == ["a b&c", "quoted \"name\"", "weird"])
        #expect(result.catalog.types["Mine"]?.values == SchedValues(nice: 3, latencyNice: -4))
        #expect(result.catalog.fileTypeNames == ["Mine", "Bad"])
        let notes = result.notes.map(\.description)
        #expect(notes.contains { $0.hasSuffix("my.types:2: cgroup 'cpu80' (CPU quota group) is not supported by schedcat; dropped") })
        #expect(notes.contains { $0.contains("my.types:3: sched 'fifo'") })
        #expect(notes.contains { $0.contains("dev tools.rules:2: ionice 9") })
        #expect(notes.contains { $0.contains("dev tools.rules:3: not a JSON object") })
        #expect(notes.contains { $0.contains("dev tools.rules:4: rule name '/usr/bin/x' is a path") })
        #expect(notes.contains { $0.contains("dev tools.rules:5: unknown key 'frobnicate'") })
        #expect(result.commentedOutRules.count == 1)
        let text = CatalogWriter.render(result.catalog)
        #expect(try CatalogParser.load(text, file: "x.yaml").rules.count == 3)
    }

    @Test func importOfAMissingDirectoryFails() {
        #expect(throws: CatalogIOError.self) { try AnanicyImporter.importTree("/nonexistent/ananicy.d") }
    }
}
