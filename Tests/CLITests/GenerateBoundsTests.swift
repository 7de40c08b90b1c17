// SPDX-License-Identifier: Apache-2.0
import Foundation
import TestSupport
import Testing

/// `catalog generate` against a real misbehaving HTTP server on 127.0.0.1: what a model server
/// can cost the command (time, memory) is bounded, and the bounds are checked flags.
@Suite(.serialized) struct GenerateBoundsTests {
    static func emptyCatalog() throws -> String {
        try Schedcat.temporaryDirectory() + "/catalog.yaml"
    }

    static func generate(_ server: HostileHTTPServer, _ extra: [String]) throws -> (Schedcat.Output, Double) {
        let started = Date()
        let output = try Schedcat.run(["catalog", "generate", "--endpoint", server.url.absoluteString, "--model", "hostile",
                                       "--from", Schedcat.fixture("snapshots/explain.json"), "--catalog", try emptyCatalog()] + extra)
        return (output, Date().timeIntervalSince(started))
    }

    @Test func generateWithATimeoutGivesUpOnAModelThatNeverAnswers() throws {
        let server = try HostileHTTPServer(.silent)
        defer { server.stop() }
        let (output, seconds) = try Self.generate(server, ["--timeout", "2"])
        #expect(output.status == 1, "\(output.stderr)")
        #expect(output.stderr.contains("no answer within 2 s per attempt"), "\(output.stderr)")
        #expect(seconds < 10, "took \(seconds) s (before: 4 attempts x 120 s)")
    }

    @Test func theConfigFileSetsTheTimeoutToo() throws {
        let server = try HostileHTTPServer(.silent)
        defer { server.stop() }
        let config = try Schedcat.temporaryDirectory() + "/config.yaml"
        try "timeout: 1s\n".write(toFile: config, atomically: true, encoding: .utf8)
        let (output, seconds) = try Self.generate(server, ["--config", config])
        #expect(output.status == 1 && output.stderr.contains("no answer within 1 s per attempt"), "\(output.stderr)")
        #expect(seconds < 8, "took \(seconds) s")
    }

    @Test func generateFallsBackQuicklyWhenTheServerDoesNotEvenAnswerTheProbe() throws {
        let server = try HostileHTTPServer(.silent, answersModels: false)
        defer { server.stop() }
        let (output, seconds) = try Self.generate(server, ["--timeout", "2", "--dry-run"])
        #expect(output.status == 0 && output.stderr.contains("Falling back to the offline heuristic advisor"), "\(output.stderr)")
        #expect(seconds < 10, "took \(seconds) s")
    }

    @Test func generateAgainstAnEndlessBodyStaysSmall() throws {
        let server = try HostileHTTPServer(.endlessBody)
        defer { server.stop() }
        let (output, seconds) = try Self.generate(server, ["--timeout", "30", "--dry-run"])
        #expect(output.stderr.contains("response larger than 262144 bytes"), "\(output.stderr)")
        #expect(seconds < 20, "took \(seconds) s")
        // the largest child this test process ever waited for, schedcat included
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        #expect(usage.ru_maxrss < 256 * 1024, "a child peaked at \(usage.ru_maxrss) KiB")
    }

    @Test func timeoutFlagIsChecked() throws {
        let output = try Schedcat.run(["catalog", "generate", "--advisor", "heuristic", "--timeout", "0", "--catalog", "/nonexistent"])
        #expect(output.status == 64 && output.stderr.contains("--timeout"), "\(output.stderr)")
    }
}
