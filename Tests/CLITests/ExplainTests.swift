// SPDX-License-Identifier: Apache-2.0
import Foundation
import TestSupport
import Testing

@Suite struct ExplainTests {
    /// The fixture with its audio server renamed to a program every Debian system has (coreutils'
    /// ptx), and pid 10 running this machine's real /usr/bin/ptx: identity is a file on this
    /// machine, so a snapshot can only prove it with this machine's (device, inode).
    static func fixtures() throws -> (snapshot: String, catalog: String) {
        var info = stat()
        guard stat("/usr/bin/ptx", &info) == 0 else { throw CocoaError(.fileNoSuchFile) }
        let directory = try Schedcat.temporaryDirectory()
        let snapshot = try String(contentsOfFile: Schedcat.fixture("snapshots/explain.json"), encoding: .utf8)
            .replacingOccurrences(of: "pipewire", with: "ptx")
            .replacingOccurrences(of: "\"exe_dev\": 2049, \"exe_ino\": 11,", with: "\"exe_dev\": \(info.st_dev), \"exe_ino\": \(info.st_ino),")
        let catalog = try String(contentsOfFile: Schedcat.fixture("snapshots/explain-catalog.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "pipewire", with: "ptx")
        try snapshot.write(toFile: directory + "/explain.json", atomically: true, encoding: .utf8)
        try catalog.write(toFile: directory + "/explain-catalog.yaml", atomically: true, encoding: .utf8)
        return (directory + "/explain.json", directory + "/explain-catalog.yaml")
    }

    func explain(_ extra: [String] = []) throws -> [[String: Any]] {
        let (snapshot, catalog) = try Self.fixtures()
        let output = try Schedcat.run(["catalog", "explain", "--from", snapshot, "--catalog", catalog, "--json"] + extra)
        #expect(output.status == 0, "\(output.stderr)")
        return try #require(JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [[String: Any]])
    }

    @Test func explainsWhichRuleMatchedAndWhy() throws {
        let rows = Dictionary(uniqueKeysWithValues: try explain().map { ($0["pid"] as! Int, $0) })
        #expect(rows.count == 7, "kernel threads are left out")
        func check(_ pid: Int, rule: String?, type: String?, nice: Int?, status: String?, by: String?, withheld: Bool = false,
                   conditions: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) {
            let row = rows[pid] ?? [:]
            #expect(row["rule"] as? String == rule, sourceLocation: sourceLocation)
            #expect(row["type"] as? String == type, sourceLocation: sourceLocation)
            #expect(row["nice"] as? Int == nice, sourceLocation: sourceLocation)
            #expect(row["status"] as? String == status, sourceLocation: sourceLocation)
            #expect(row["matched_by"] as? String == by, sourceLocation: sourceLocation)
            #expect(row["boost_withheld"] as? Bool == withheld, sourceLocation: sourceLocation)
            #expect(row["conditions"] as? [String] == conditions, sourceLocation: sourceLocation)
            for key in ["pid", "comm", "rule", "type", "nice", "status"] {
                #expect(row.keys.contains(key), "missing key \(key)", sourceLocation: sourceLocation)
            }
        }
        // the system's own ptx (root-owned /usr/bin/ptx, the very file) gets the boost
        check(10, rule: "ptx", type: "LowLatency_RT", nice: -12, status: "accepted", by: "argv0")
        // a user's own binary called ptx matches the name, but the name alone earns no boost
        check(11, rule: "ptx", type: "LowLatency_RT", nice: 0, status: "accepted", by: "argv0", withheld: true)
        #expect((rows[11]?["withheld_because"] as? String)?.contains("only the name vouches") == true)
        check(12, rule: "updatedb.plocate", type: "BG_CPUIO", nice: 16, status: "accepted", by: "argv0", conditions: ["cgroup"])
        // proposed rules do not count unless asked for
        check(13, rule: nil, type: nil, nice: nil, status: nil, by: nil)
        check(14, rule: "tumblerd", type: nil, nice: nil, status: "rejected", by: "argv0")
        // an exe pin with an unreadable exe does not match
        check(15, rule: nil, type: nil, nice: nil, status: nil, by: nil)
        check(16, rule: nil, type: nil, nice: nil, status: nil, by: nil)
    }

    @Test func proposedRulesMatchWhenIncluded() throws {
        let row = try explain(["--include-proposed"]).first { $0["pid"] as? Int == 13 } ?? [:]
        #expect(row["rule"] as? String == "python3" && row["status"] as? String == "proposed" && row["nice"] as? Int == 9)
        #expect(row["conditions"] as? [String] == ["cmdline"])
    }

    @Test func badInputExitsTwo() throws {
        let directory = try Schedcat.temporaryDirectory()
        try "{\"schema\": \"nope\"}".write(toFile: directory + "/bad.json", atomically: true, encoding: .utf8)
        let badSnapshot = try Schedcat.run(["catalog", "explain", "--from", directory + "/bad.json",
                                            "--catalog", Schedcat.fixture("snapshots/explain-catalog.yaml")])
        #expect(badSnapshot.status == 2 && badSnapshot.stderr.contains("bad.json"))
        try "schema: schedcat.catalog/v1\nrules:\n  - { name: a, type: Nope }\n".write(toFile: directory + "/bad.yaml", atomically: true, encoding: .utf8)
        let badCatalog = try Schedcat.run(["catalog", "explain", "--from", Schedcat.fixture("snapshots/explain.json"),
                                           "--catalog", directory + "/bad.yaml"])
        #expect(badCatalog.status == 2 && badCatalog.stderr.contains("bad.yaml:3:5"))
    }
}
