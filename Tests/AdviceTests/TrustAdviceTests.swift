// SPDX-License-Identifier: Apache-2.0
import Advice
import Catalog
import Foundation
import LinuxSystem
import Testing

/// Issue 12, attack 3 on the advice side: a model that calls everything LowLatency_RT still never
/// writes an exe pin to an interpreter, nor to a path whose file is not the one the process runs.
@Suite struct TrustAdviceTests {
    @Test func boostsArePinnedOnlyToTheRunningNonInterpreterFile() async throws {
        let stub = StubModelServer(script: [], fallback: .answer(#"{"reason": "stub", "type": "LowLatency_RT"}"#))
        let url = try await stub.start()
        defer { Task { await stub.stop() } }
        let python = try #require(FileIdentity.of("/usr/bin/python3.11"))
        let tail = try #require(FileIdentity.of("/usr/bin/tail"))
        let processes = [
            // a python program that renamed itself: the interpreter is no identity
            ProcessFeatures(pid: 100, comm: "renamed-py", exe: "/usr/bin/python3.11", cmdline: ["python3", "-c", "x"], exeFile: python),
            // the real /usr/bin/tail: pinned
            ProcessFeatures(pid: 101, comm: "tail", exe: "/usr/bin/tail", cmdline: ["tail", "-f", "/dev/null"], exeFile: tail),
            // a process whose own mount namespace shows /usr/bin/ptx over another file: no pin
            ProcessFeatures(pid: 102, comm: "ptx", exe: "/usr/bin/ptx", cmdline: ["/usr/bin/ptx"], exeFile: tail),
        ]
        let path = NSTemporaryDirectory() + "trust-advice-\(UUID().uuidString).yaml"
        try CatalogStore.update(path, createIfMissing: true) { _ in }
        let catalog = try CatalogFile.load(path)
        var summary = GenerateSummary(advisor: "model", model: "stub", endpoint: url.absoluteString)
        let candidates = Generator.candidates(processes, catalog: catalog, selfPID: 1, summary: &summary)
        let advisor = ModelAdvisor(client: ChatClient(endpoint: url, apiKey: nil, timeout: 10, maxRetries: 0, backoff: 0.05),
                                   types: catalog.orderedTypes, model: "stub")
        let (rules, _, _) = await Generator.advise(candidates, advisor: advisor, catalog: catalog, concurrency: 1,
                                                   seen: "2026-11-29", summary: &summary)
        let pins = Dictionary(uniqueKeysWithValues: rules.map { ($0.name, $0.identity.exe ?? "-") })
        #expect(pins == ["renamed-py": "-", "tail": "/usr/bin/tail", "ptx": "-"], "\(pins)")
        #expect(rules.allSatisfy { $0.type == "LowLatency_RT" })
    }
}
