// SPDX-License-Identifier: Apache-2.0
import Advice
import Catalog
import Foundation
import Testing

/// Issue 13, item 2: the model's confidence in its type, from token log-probabilities; an unsure
/// boost is proposed as IN_DIFF, and the confidence is kept with the proposal.
@Suite struct TypeConfidenceTests {
    static let allowed = ["Game", "Player-Audio", "Player-Video", "BG_CPUIO", "unknown"]

    /// Tokens as llama-server splits `{"process":"mpv","reason":"video player","type":"Player-Video"}`.
    static func tokens(playerShare: Double, videoShare: Double, reasonShares: (Double, Double) = (0.99, 0.99)) -> [TokenLogprob] {
        func token(_ text: String, _ p: Double = 0.99, _ others: [(String, Double)] = []) -> TokenLogprob {
            TokenLogprob(text: text, logprob: log(p), alternatives: [.init(text: text, logprob: log(p))]
                            + others.map { .init(text: $0.0, logprob: log($0.1)) })
        }
        return [token("{\""), token("process"), token("\":\""), token("mpv"), token("\",\""), token("reason"), token("\":\""),
                token("video", reasonShares.0), token(" player", reasonShares.1), token("\",\""), token("type"),
                // the type's first token: "P" against "Game"'s "G", and "The" the grammar would never allow
                token("\":\"P", playerShare, [("\":\"G", 1 - playerShare - 0.05), ("The", 0.05)]),
                token("layer"),
                token("-V", videoShare, [("-A", 1 - videoShare)]),
                token("ideo"), token("\"}")]
    }

    static let content = #"{"process":"mpv","reason":"video player","type":"Player-Video"}"#

    @Test func theConfidenceIsTheTypesShareAmongAllowedAnswers() throws {
        let sure = try #require(TypeConfidence.of("Player-Video", in: Self.content, tokens: Self.tokens(playerShare: 0.9, videoShare: 0.9),
                                                  allowed: Self.allowed))
        // 0.9 / (0.9 + 0.05) for P over G ("The" cannot spell an answer), then 0.9 for -V over -A
        #expect(abs(sure - 0.9 / 0.95 * 0.9) < 0.001, "\(sure)")
        let torn = try #require(TypeConfidence.of("Player-Video", in: Self.content, tokens: Self.tokens(playerShare: 0.9, videoShare: 0.3),
                                                  allowed: Self.allowed))
        #expect(torn < 0.5)
        // tokens that do not spell the answer: no confidence rather than a wrong one
        #expect(TypeConfidence.of("Player-Video", in: Self.content + " ", tokens: Self.tokens(playerShare: 0.9, videoShare: 0.9),
                                  allowed: Self.allowed) == nil)
    }

    static func completion(_ tokens: [TokenLogprob]) -> String {
        let object: [String: Any] = [
            "choices": [["index": 0, "message": ["role": "assistant", "content": content],
                         "logprobs": ["content": tokens.map { token in
                             ["token": token.text, "logprob": token.logprob,
                              "top_logprobs": token.alternatives.map { ["token": $0.text, "logprob": $0.logprob] }] as [String: Any]
                         }]]],
            "usage": ["prompt_tokens": 100, "completion_tokens": 15],
        ]
        return String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    @Test func anUnsureBoostIsNotProposedAsABoostAndTheConfidenceIsKept() async throws {
        let stub = StubModelServer(script: [.raw(Self.completion(Self.tokens(playerShare: 0.9, videoShare: 0.3))),
                                            .raw(Self.completion(Self.tokens(playerShare: 0.94, videoShare: 0.95)))])
        let url = try await stub.start()
        defer { Task { await stub.stop() } }
        let catalog = Catalog(types: DefaultTypes.all, rules: [])
        let process = ProcessFeatures(pid: 10, comm: "mpv", exe: "/usr/bin/mpv", cmdline: ["mpv", "film.mkv"])
        var summary = GenerateSummary(advisor: "model")
        let advisor = ModelAdvisor(client: ChatClient(endpoint: url, apiKey: nil, timeout: 10, maxRetries: 0), types: catalog.orderedTypes,
                                   model: "stub")
        let candidate = Candidate(process: process, key: ProcessKey(process))
        let (unsure, _, _) = await Generator.advise([candidate], advisor: advisor, catalog: catalog, concurrency: 1, seen: "2026-11-29",
                                                    summary: &summary)
        let held = try #require(unsure.first)
        #expect(held.type == "IN_DIFF" && held.confidence == 0.28, "\(held)")
        #expect(held.reason?.contains("model said Player-Video (video player) with confidence 0.28; a boost needs 0.50") == true)
        #expect(summary.heldUnsure == 1 && summary.heldByEvidence == 0)
        let (sure, _, _) = await Generator.advise([candidate], advisor: advisor, catalog: catalog, concurrency: 1, seen: "2026-11-29",
                                                  summary: &summary)
        #expect(sure.first?.type == "Player-Video" && sure.first?.confidence == 0.93, "\(sure)")
        // the confidence survives writing and reading the catalog, outside the fingerprint
        let line = CatalogWriter.ruleLine(try #require(sure.first))
        #expect(line.contains("confidence: 0.93"))
        let reread = try CatalogDocument(text: "schema: schedcat.catalog/v1\nrules:\n" + line + "\n", file: "memory").catalog.rules.first
        #expect(reread?.confidence == 0.93 && reread.map(RuleFingerprint.wasEditedByHand) == false)
    }

    /// A fluent guess: the model was unsure what the program is ("video" at 0.2), then sure of the
    /// type that follows from its own guess. The proposal carries both.
    @Test func anUnsureReasonMakesAnUnsureAnswer() throws {
        let guessed = Self.tokens(playerShare: 0.94, videoShare: 0.95, reasonShares: (0.2, 0.8))
        let identification = try #require(TypeConfidence.ofIdentification(in: Self.content, tokens: guessed))
        #expect(abs(identification - (0.2 * 0.8).squareRoot()) < 0.001, "\(identification)")
        let type = try #require(TypeConfidence.of("Player-Video", in: Self.content, tokens: guessed, allowed: Self.allowed))
        let answer = try #require(TypeConfidence.ofAnswer("Player-Video", in: Self.content, tokens: guessed, allowed: Self.allowed))
        #expect(type > 0.9 && abs(answer - type * identification) < 0.001 && answer < AdviceSafety.minimumConfidence)
    }

    @Test func anUnsureDemotionIsNotProposedAsADemotion() {
        let catalog = Catalog(types: DefaultTypes.all, rules: [])
        let process = ProcessFeatures(pid: 10, comm: "mtx", exe: "/usr/sbin/mtx", cmdline: ["mtx", "status"])
        let unsure = AdviceSafety.check(Verdict(type: "BG_CPUIO", reason: "tape changer", confidence: 0.3), process: process,
                                        catalog: catalog, advisor: .model)
        #expect(unsure.held && unsure.unsure && unsure.verdict.type == "IN_DIFF")
        #expect(unsure.verdict.reason.contains("a demotion needs 0.50"), "\(unsure.verdict.reason)")
        let sure = AdviceSafety.check(Verdict(type: "BG_CPUIO", reason: "tape changer", confidence: 0.8), process: process,
                                      catalog: catalog, advisor: .model)
        #expect(!sure.held && sure.verdict.type == "BG_CPUIO")
        // a person who set min_confidence: 0.2 takes the model's 0.3 as it is
        let lenient = AdviceSafety.check(Verdict(type: "BG_CPUIO", reason: "tape changer", confidence: 0.3), process: process,
                                         catalog: catalog, advisor: .model, minimumConfidence: 0.2)
        #expect(!lenient.held && lenient.verdict.type == "BG_CPUIO")
    }
}
