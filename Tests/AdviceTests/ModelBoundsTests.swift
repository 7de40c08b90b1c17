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
        // the server really streamed past the limit; the client stopped reading soon after. The
        // server counts a chunk when send() returns, which can be after the client read it.
        let deadline = Date().addingTimeInterval(2)
        while server.bodyBytesSent <= 262_144 && Date() < deadline { try await Task.sleep(for: .milliseconds(10)) }
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
}
