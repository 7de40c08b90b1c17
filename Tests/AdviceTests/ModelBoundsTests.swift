// SPDX-License-Identifier: Apache-2.0
import Advice
import Foundation
import TestSupport
import Testing

/// What a model server can cost schedcat is bounded: body size, time per attempt, time per
/// request with its retries. Each test runs a real misbehaving HTTP server on 127.0.0.1.
@Suite(.serialized) struct ModelBoundsTests {
    static let request = Data(#"{"model": "hostile", "messages": []}"#.utf8)

    /// Peak resident set of this process, in KiB.
    static func peakRSS() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    func failure(_ client: ChatClient) async -> (message: String, seconds: Double) {
        let started = Date()
        do {
            _ = try await client.complete(body: Self.request)
            return ("no error", Date().timeIntervalSince(started))
        } catch {
            return ("\(error)", Date().timeIntervalSince(started))
        }
    }

    @Test func anEndlessBodyIsCutOffAtTheLimit() async throws {
        let server = try HostileHTTPServer(.endlessBody)
        defer { server.stop() }
        let before = Self.peakRSS()
        let (message, seconds) = await failure(ChatClient(endpoint: server.url, apiKey: nil, timeout: 30))
        let grown = Self.peakRSS() - before
        #expect(message.contains("response larger than 262144 bytes"), "\(message)")
        #expect(seconds < 5, "took \(seconds) s")
        #expect(grown < 64 * 1024, "peak RSS grew by \(grown) KiB")
        // the server really streamed past the limit; the client stopped reading soon after
        #expect(server.bodyBytesSent > 262_144 && server.bodyBytesSent < 64 << 20, "\(server.bodyBytesSent) bytes sent")
    }

    @Test func aHugeDeclaredBodyIsRefusedBeforeReadingIt() async throws {
        let server = try HostileHTTPServer(.hugeDeclaredBody)
        defer { server.stop() }
        let (message, seconds) = await failure(ChatClient(endpoint: server.url, apiKey: nil, timeout: 30))
        #expect(message.contains("response larger than 262144 bytes"), "\(message)")
        #expect(seconds < 5, "took \(seconds) s")
    }

    @Test func aSilentServerCostsAtMostTwiceTheTimeoutRetriesIncluded() async throws {
        let server = try HostileHTTPServer(.silent)
        defer { server.stop() }
        // the old client made maxRetries + 1 = 4 attempts of `timeout` each
        let (message, seconds) = await failure(ChatClient(endpoint: server.url, apiKey: nil, timeout: 1, maxRetries: 3, backoff: 0.05))
        #expect(message.contains("unreachable") && message.contains("no answer within 1 s"), "\(message)")
        #expect(seconds >= 1.5 && seconds < 2.6, "took \(seconds) s, bound is 2 x 1 s")
    }

    // MARK: the command line

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
