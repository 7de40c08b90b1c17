// SPDX-License-Identifier: Apache-2.0
import Catalog
import Foundation
import TestSupport
import Testing

@Suite(.serialized) struct ReviewTests {
    static let handWritten = """
    # my catalog, hand written -- keep this
    schema: schedcat.catalog/v1
    rules:
      # audio
      - { name: pipewire, type: LowLatency_RT, status: proposed, source: model, model: m, reason: "audio server" }
      - { name: indexer, type: Heavy_CPU, status: proposed, source: heuristic, reason: "cpu bound" }   # check this
      - { name: chatty, type: Chat, status: proposed, source: model, model: m, reason: "messaging" }
      - name: other          # block style, by hand
        type: Service
        status: proposed
        source: model
      - { name: mine, type: Game, nice: -2 }   # a person's own rule

    """

    func catalogFile(_ text: String = ReviewTests.handWritten) throws -> String {
        let path = try Schedcat.temporaryDirectory() + "/catalog.yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func tmux(_ arguments: [String]) throws {
        #expect(runQuietly("/usr/bin/tmux", ["-L", "schedcat-tests"] + arguments) == 0, "tmux \(arguments)")
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/usr/bin/tmux"), "needs tmux (scripts/setup-host installs it)"))
    func interactiveReviewAcceptsRejectsRetypesAndQuits() async throws {
        let path = try catalogFile()
        let session = "schedcat-review-\(getpid())"
        let done = path + ".done"
        try tmux(["new-session", "-d", "-s", session, "-x", "160", "-y", "50",
                  "\(Schedcat.binary) catalog review \(path); echo $? > \(done)"])
        defer { runQuietly("/usr/bin/tmux", ["-L", "schedcat-tests", "kill-session", "-t", session]) }
        for keys in [["a"], ["r"], ["t"], ["BG_CPUIO", "Enter"], ["a"], ["q"]] {
            try await Task.sleep(nanoseconds: 600_000_000)
            try tmux(["send-keys", "-t", session] + keys)
        }
        for _ in 0..<50 where !FileManager.default.fileExists(atPath: done) {
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        #expect(try String(contentsOfFile: done, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        for comment in ["# my catalog, hand written -- keep this", "# audio", "   # check this", "# block style, by hand",
                        "# a person's own rule"] {
            #expect(text.contains(comment), "lost \(comment)")
        }
        let rules = try CatalogFile.load(path).rules
        #expect(rules.map(\.name) == ["pipewire", "indexer", "chatty", "other", "mine"])
        #expect(rules[0].status == .accepted && rules[0].source == .model && rules[0].type == "LowLatency_RT")
        #expect(rules[1].status == .rejected && rules[1].source == .heuristic)
        #expect(rules[2].status == .accepted && rules[2].type == "BG_CPUIO" && rules[2].source == .human)
        #expect(rules[3].status == .proposed, "quit before the fourth: untouched")
        #expect(rules[4] == Rule(identity: RuleIdentity(name: "mine"), type: "Game", overrides: SchedValues(nice: -2),
                                 location: rules[4].location))
        // only the decided rules' lines changed
        let before = Self.handWritten.split(separator: "\n", omittingEmptySubsequences: false)
        let after = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(before.count == after.count)
        #expect(zip(before, after).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset) == [4, 5, 6])
    }

    @Test func scriptedReviewAndListAndBadInput() throws {
        let path = try catalogFile()
        let list = try Schedcat.run(["catalog", "review", path, "--list", "--json"])
        #expect(list.status == 0)
        #expect(list.json(as: [[String: Any]].self)?.compactMap { $0["name"] as? String } == ["pipewire", "indexer", "chatty", "other"])

        let review = try Schedcat.run(["catalog", "review", path, "--accept", "pipewire", "chatty", "--reject", "indexer",
                                       "--set-type", "other=BG_CPU"])
        #expect(review.status == 0, "\(review.stderr)")
        let rules = try CatalogFile.load(path).rules
        #expect(rules.map(\.status) == [.accepted, .rejected, .accepted, .proposed, .accepted])
        #expect(rules[3].type == "BG_CPU" && rules[3].source == .human)

        #expect(try Schedcat.run(["catalog", "review", path, "--accept", "nosuch"]).status == 2)
        #expect(try Schedcat.run(["catalog", "review", path, "--set-type", "other=NoSuchType"]).status == 2)
        let all = try Schedcat.run(["catalog", "review", path, "--accept-all"])
        #expect(all.status == 0 && all.stdout.contains("1 accepted"))
        #expect(try CatalogFile.load(path).rules.allSatisfy { $0.status != .proposed })
    }

    @Test func handEditsAndCommentsSurviveGenerateAndReview() throws {
        let path = try catalogFile()
        // a person edits a generated rule: give it an fp first, as generate would have written it
        let generated = RuleFingerprint.stamped(Rule(identity: RuleIdentity(name: "gen"), type: "BG_CPUIO", status: .proposed,
                                                     source: .heuristic, reason: "r", seen: "2026-11-26"))
        try CatalogStore.update(path) { $0.append([generated]) }
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text = text.replacingOccurrences(of: "name: gen, type: BG_CPUIO", with: "name: gen, type: Service") + "# trailing note\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let handEdited = text

        let generate = try Schedcat.run(["catalog", "generate", "--from", Schedcat.fixture("snapshots/explain.json"),
                                         "--catalog", path, "--advisor", "heuristic", "--json"])
        #expect(generate.status == 0, "\(generate.stderr)")
        #expect((generate.json()?["proposed"] as? Int ?? 0) > 0)
        let review = try Schedcat.run(["catalog", "review", path, "--accept-all"])
        #expect(review.status == 0)

        let final = try String(contentsOfFile: path, encoding: .utf8)
        for line in handEdited.split(separator: "\n") {
            if let hash = line.firstIndex(of: "#") { #expect(final.contains(line[hash...]), "lost comment: \(line[hash...])") }
            if line.contains("name: mine") { #expect(final.contains(line), "hand change lost: \(line)") }
        }
        let rules = try CatalogFile.load(path).rules
        let gen = try #require(rules.first { $0.name == "gen" })
        #expect(final.contains("name: gen, type: Service"), "the hand-changed type stays as written")
        #expect(gen.type == "Service" && gen.source == .human && gen.fingerprint == nil && gen.status == .accepted)
        #expect(rules.first { $0.name == "mine" }?.overrides.nice == -2)
    }

    @Test func twoConcurrentWritersBothLand() async throws {
        let path = try catalogFile()
        async let generate = Task.detached {
            try Schedcat.run(["catalog", "generate", "--from", Schedcat.fixture("snapshots/explain.json"),
                              "--catalog", path, "--advisor", "heuristic"])
        }.value
        async let review = Task.detached { try Schedcat.run(["catalog", "review", path, "--accept", "pipewire", "--reject", "chatty"]) }.value
        let (first, second) = try await (generate, review)
        #expect(first.status == 0 && second.status == 0, "\(first.stderr) \(second.stderr)")
        let rules = try CatalogFile.load(path).rules
        #expect(rules.first { $0.name == "pipewire" }?.status == .accepted)
        #expect(rules.first { $0.name == "chatty" }?.status == .rejected)
        #expect(rules.contains { $0.source == .heuristic && $0.name == "updatedb.plocate" })
    }

    @Test func diffShowsAddedRemovedAndChangedRules() throws {
        let old = try catalogFile()
        let new = try catalogFile(Self.handWritten
            .replacingOccurrences(of: "{ name: indexer, type: Heavy_CPU", with: "{ name: indexer, type: BG_CPUIO")
            .replacingOccurrences(of: "  - { name: chatty, type: Chat, status: proposed, source: model, model: m, reason: \"messaging\" }\n", with: "")
            + "  - { name: added, type: Service }\n")
        let diff = try Schedcat.run(["catalog", "diff", old, new, "--json"])
        #expect(diff.status == 0)
        let entries = diff.json(as: [[String: Any]].self) ?? []
        let summary = entries.map { "\($0["change"]!):\(($0["rule"] as? [String: Any])?["name"] ?? "")" }
        #expect(summary == ["added:added", "removed:chatty", "changed:indexer"])
        let changed = entries.last?["rule"] as? [String: Any]
        #expect((changed?["values"] as? [String: Any])?["nice"] as? Int == 16)
        let text = try Schedcat.run(["catalog", "diff", old, new])
        #expect(text.stdout.contains("1 added, 1 removed, 1 changed"))
    }
}
