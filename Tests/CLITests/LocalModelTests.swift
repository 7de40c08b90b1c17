// SPDX-License-Identifier: Apache-2.0
import Catalog
import Foundation
import TestSupport
import Testing

/// Against a real llama-server (scripts/test starts SmolLM2-135M and sets SCHEDCAT_TEST_LLM_ENDPOINT):
/// the schema is enforced, answers parse, provenance is written, and a rerun makes no calls.
@Suite(.serialized) struct LocalModelTests {
    static let endpoint = ProcessInfo.processInfo.environment["SCHEDCAT_TEST_LLM_ENDPOINT"]

    static var available: Bool {
        if endpoint == nil && ProcessInfo.processInfo.environment["CI"] == "true" {
            Issue.record("CI=true but SCHEDCAT_TEST_LLM_ENDPOINT is not set: the local model server did not start")
        }
        return endpoint != nil
    }

    func generate(_ catalog: String, _ snapshot: String) throws -> [String: Any] {
        let output = try Schedcat.run(["catalog", "generate", "--from", snapshot, "--catalog", catalog,
                                       "--endpoint", Self.endpoint!, "--no-fallback", "--json"])
        #expect(output.status == 0, "\(output.stderr)")
        return try #require(JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
    }

    @Test(.enabled(if: LocalModelTests.available, "needs a local model server (SCHEDCAT_TEST_LLM_ENDPOINT)"))
    func proposalsFromARealModelAreValidAndARerunMakesNoCalls() throws {
        let path = try Schedcat.temporaryDirectory() + "/catalog.yaml"
        let snapshot = Schedcat.fixture("snapshots/explain.json")
        let first = try generate(path, snapshot)
        // 7 processes, the kernel thread skipped; pipewire twice (two different binaries: asked about both)
        #expect(first["skipped"] as? Int == 1)
        #expect(first["asked"] as? Int == 7)
        #expect(first["failed"] as? Int == 0)
        #expect(first["discarded"] as? Int == 0, "the grammar keeps answers valid: \(first["warnings"] ?? "")")
        #expect(first["answered"] as? Int == 7)
        let proposed = try #require(first["proposed"] as? Int)
        #expect((6...7).contains(proposed), "the two pipewire binaries share a rule unless one is pinned")
        #expect((first["completion_tokens"] as? Int ?? 0) > 0)
        let median = try #require(first["median_s_per_process"] as? Double, "no median_s_per_process")
        #expect(median > 0 && median <= (first["seconds"] as? Double ?? 0))

        let catalog = try CatalogFile.load(path)
        #expect(catalog.rules.count == proposed)
        for rule in catalog.rules {
            #expect(rule.source == .model && rule.model != nil && rule.seen != nil && !(rule.reason ?? "").isEmpty)
            #expect(rule.status == (rule.type == nil ? .rejected : .proposed))
            if let type = rule.type {
                #expect(catalog.types[type] != nil)
                if catalog.types[type]!.values.boosts, let exe = rule.identity.exe {
                    #expect(exe.hasPrefix("/"), "boosting proposals are pinned to their binary")
                }
            }
            #expect(!RuleFingerprint.wasEditedByHand(rule))
            // llama-server answers `logprobs: true`: every proposal carries the model's confidence
            #expect(rule.confidence.map { (0...1).contains($0) } == true, "\(rule.name): no confidence")
        }
        let written = try Data(contentsOf: URL(fileURLWithPath: path))

        let second = try generate(path, snapshot)
        #expect(second["asked"] as? Int == 0)
        #expect(second["cached"] as? Int == 7)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == written, "a rerun leaves the file byte-identical")
    }

    @Test(.enabled(if: LocalModelTests.available, "needs a local model server (SCHEDCAT_TEST_LLM_ENDPOINT)"))
    func aDeadEndpointFallsBackToTheHeuristicsLoudly() throws {
        let path = try Schedcat.temporaryDirectory() + "/catalog.yaml"
        let output = try Schedcat.run(["catalog", "generate", "--from", Schedcat.fixture("snapshots/explain.json"),
                                       "--catalog", path, "--endpoint", "http://127.0.0.1:9", "--json"])
        #expect(output.status == 0)
        #expect(output.stderr.contains("WARNING: model endpoint http://127.0.0.1:9 is unreachable"))
        let summary = try #require(JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        #expect(summary["advisor"] as? String == "heuristic")
        let catalog = try CatalogFile.load(path)
        #expect(catalog.rules.allSatisfy { $0.source == .heuristic && !catalog.effectiveValues(of: $0).boosts })
        #expect(catalog.rules.contains { $0.name == "updatedb.plocate" && $0.type == "BG_CPUIO" })
        let strict = try Schedcat.run(["catalog", "generate", "--from", Schedcat.fixture("snapshots/explain.json"),
                                       "--catalog", path, "--endpoint", "http://127.0.0.1:9", "--no-fallback"])
        #expect(strict.status == 1 && strict.stderr.contains("http://127.0.0.1:9"))
    }

    /// On a terminal, generate draws a progress bar with the time left; off one (the tests above,
    /// a pipe, --json) it draws nothing. `script` gives the command a pseudo-terminal.
    @Test(.enabled(if: LocalModelTests.available, "needs a local model server (SCHEDCAT_TEST_LLM_ENDPOINT)"))
    func aTerminalSeesAProgressBarWithTheTimeLeft() throws {
        let path = try Schedcat.temporaryDirectory() + "/catalog.yaml"
        let command = [Schedcat.binary, "catalog", "generate", "--from", Schedcat.fixture("snapshots/explain.json"), "--catalog", path,
                       "--endpoint", Self.endpoint!, "--no-fallback"].map { "'\($0)'" }.joined(separator: " ")
        let output = try runCommand("/usr/bin/script", ["-qec", command, "/dev/null"])
        #expect(output.status == 0, "\(output.stdout)")
        #expect(output.stdout.contains("[##..................] 1/7, "), "\(output.stdout)")
        #expect(output.stdout.contains("[####################] 7/7, ") && output.stdout.contains(" s each, ETA 0 s"), "\(output.stdout)")
        let piped = try Schedcat.run(["catalog", "generate", "--from", Schedcat.fixture("snapshots/explain.json"), "--catalog", path + ".2",
                                      "--endpoint", Self.endpoint!, "--no-fallback"])
        #expect(!piped.stderr.contains("ETA"), "\(piped.stderr)")
    }
}
