// SPDX-License-Identifier: Apache-2.0
import Catalog
import Foundation
import TestSupport
import Testing

/// The daemon against a real llama-server of its own (SmolLM2-135M, started and stopped here).
@Suite(.serialized) struct DaemonTests {
    static let modelReady = ProcessInfo.processInfo.environment["SCHEDCAT_TEST_LLM_ENDPOINT"] != nil

    static var available: Bool {
        if !modelReady && ProcessInfo.processInfo.environment["CI"] == "true" {
            Issue.record("CI=true but no local model server was set up (SCHEDCAT_TEST_LLM_ENDPOINT)")
        }
        return modelReady
    }

    func localModel(_ command: String, port: Int) -> Int32 {
        // quietly: llama-server must not inherit a pipe the test would wait on
        runQuietly(Schedcat.packageRoot + "/scripts/local-model", [command],
                   environment: ["SCHEDCAT_LLM_MODEL": "smollm2-135m", "SCHEDCAT_LLM_PORT": "\(port)", "SCHEDCAT_LLM_FOREGROUND": "1"])
    }

    func report(_ line: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]) ?? [:]
    }

    func summary(_ line: String) -> [String: Any] { report(line)["summary"] as? [String: Any] ?? [:] }

    @Test(.enabled(if: DaemonTests.available, "needs the local model runtime (scripts/local-model)"))
    func newProcessesAreProposedOnceAndADeadModelIsSurvived() async throws {
        let port = 18_000 + Int(getpid() % 1000)
        #expect(localModel("start", port: port) == 0)
        defer { _ = localModel("stop", port: port) }
        let directory = try Schedcat.temporaryDirectory()
        for name in ["sc-dmn-first", "sc-dmn-later"] {
            try FileManager.default.copyItem(atPath: URL(fileURLWithPath: "/bin/sleep").resolvingSymlinksInPath().path,
                                             toPath: "\(directory)/\(name)")
        }
        let catalog = directory + "/catalog.yaml"
        let daemon = try BackgroundProcess(Schedcat.binary, [
            "daemon", "--catalog", catalog, "--interval", "1s", "--window", "0.3", "--only-comm", "sc-dmn-.*",
            "--endpoint", "http://127.0.0.1:\(port)", "--config", "/dev/null", "--audit-window", "0"])
        defer { daemon.terminate() }

        let first = await daemon.line(timeout: 30) { _ in true }
        #expect(first != nil && summary(first!.line)["asked"] as? Int == 0, "nothing to ask yet: \(first?.line ?? "no tick")")

        let process = try BackgroundProcess(directory + "/sc-dmn-first", ["120"])
        defer { process.terminate() }
        let asked = await daemon.line(after: first?.index ?? 0, timeout: 60) { summary($0)["asked"] as? Int == 1 }
        try #require(asked != nil, "no tick asked about the new process: \(daemon.lines)")
        #expect(summary(asked!.line)["proposed"] as? Int == 1 && summary(asked!.line)["answered"] as? Int == 1)
        let rule = try #require(try CatalogFile.load(catalog).rules.first { $0.name == "sc-dmn-first" })
        #expect(rule.source == .model && rule.model == "smollm2-135m" && (rule.status == .proposed || rule.status == .rejected))

        let quiet = await daemon.line(after: asked!.index + 1, timeout: 30) { _ in true }
        #expect(quiet.map { summary($0.line)["asked"] as? Int } == 0, "the next tick makes no model call: \(quiet?.line ?? "none")")

        #expect(localModel("stop", port: port) == 0)
        let later = try BackgroundProcess(directory + "/sc-dmn-later", ["120"])
        defer { later.terminate() }
        let failed = await daemon.line(after: quiet?.index ?? 0, timeout: 30) { (report($0)["error"] as? String)?.contains("unreachable") == true }
        #expect(failed != nil, "a dead endpoint is logged: \(daemon.lines.suffix(3))")
        let next = await daemon.line(after: (failed?.index ?? 0) + 1, timeout: 30) { _ in true }
        #expect(next != nil && daemon.isRunning, "the daemon keeps going")
        #expect(try CatalogFile.load(catalog).rules.map(\.name) == ["sc-dmn-first"], "nothing invented while the model is down")
    }
}
