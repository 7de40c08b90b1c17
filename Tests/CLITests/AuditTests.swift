// SPDX-License-Identifier: Apache-2.0
import Foundation
import TestSupport
import Testing

/// `catalog audit` on the real kernel: real processes, deliberately wrong rules applied with the
/// classic backend (so the wrong nice and policy are really in force), then one short window.
/// In CI the suite runs whatever the uid, and fails without root.
@Suite(.serialized, .enabled(if: geteuid() == 0 || ProcessInfo.processInfo.environment["CI"] == "true",
                             "needs root to apply the wrong rules"))
struct AuditTests {
    static let window = "6s"
    /// As many CPU hogs as CPUs keep every CPU busy.
    static let cpus = ProcessInfo.processInfo.activeProcessorCount

    /// A catalog, a state directory and the processes of one test, under names no other test uses.
    final class Workspace {
        let directory: String
        let catalog: String
        let stateDirectory: String
        /// A short prefix unique to this workspace: comm names stay within 15 bytes.
        let tag: String
        let spinner: String
        private let children: ChildProcesses = ChildProcesses()

        init() throws {
            directory = try Schedcat.temporaryDirectory()
            catalog = directory + "/catalog.yaml"
            stateDirectory = directory + "/state"
            tag = "a" + String(UUID().uuidString.prefix(4)).lowercased()
            spinner = URL(fileURLWithPath: Schedcat.binary).deletingLastPathComponent().appendingPathComponent("TestSpinner").path
        }

        func name(_ role: String) -> String { "\(tag)-\(role)" }

        func write(_ rules: [String]) throws {
            try (["schema: schedcat.catalog/v1", "rules:"] + rules.map { "  - \($0)" } + [""]).joined(separator: "\n")
                .write(toFile: catalog, atomically: true, encoding: .utf8)
        }

        /// The exe pin that lets a boosting rule boost TestSpinner (a name alone never earns a boost).
        var spinnerPin: String { "exe: \(URL(fileURLWithPath: spinner).resolvingSymlinksInPath().path)" }

        /// TestSpinner renamed to `name`: "probe" wakes every 4 ms for 0.3 ms, nil burns a CPU.
        @discardableResult
        func spin(_ name: String, _ mode: String? = nil) throws -> Int32 {
            try start(spinner, [name, "1", "60"] + (mode.map { [$0] } ?? []))
        }

        /// A copy of sleep named `name`: matched, but it never wakes, so it has no behaviour to judge.
        func sleeper(_ name: String) throws -> Int32 {
            let copy = directory + "/" + name
            try FileManager.default.copyItem(atPath: URL(fileURLWithPath: "/bin/sleep").resolvingSymlinksInPath().path, toPath: copy)
            return try start(copy, ["60"])
        }

        @discardableResult
        func start(_ path: String, _ arguments: [String]) throws -> Int32 { try children.start(path, arguments) }

        func apply() throws {
            let result = try Schedcat.run(["apply", "--once", "--catalog", catalog])
            #expect(result.status == 0, "\(result.stderr)")
        }

        /// The audit's JSON report.
        func audit(_ extra: [String] = []) throws -> [String: Any] {
            let result = try Schedcat.run(["catalog", "audit", "--catalog", catalog, "--window", AuditTests.window, "--json"] + extra,
                                          environment: ["SCHEDCAT_AUDIT_DIR": stateDirectory])
            #expect(result.status == 0, "\(result.stderr)")
            return try #require(result.json(), "no JSON: \(result.stdout) \(result.stderr)")
        }

        /// SIGKILL: children of the test runner start with SIGTERM ignored; the spinners die with their parent.
        func stop() {
            children.killAll()
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    static func findings(_ report: [String: Any]) -> [[String: Any]] { report["findings"] as? [[String: Any]] ?? [] }

    static func finding(_ report: [String: Any], _ kind: String, pid: Int32) -> [String: Any]? {
        findings(report).first { $0["kind"] as? String == kind && ($0["pid"] as? NSNumber)?.int32Value == pid }
    }

    static func observed(_ report: [String: Any], pid: Int32) -> String {
        let rows = report["observed"] as? [[String: Any]] ?? []
        return rows.first { ($0["pid"] as? NSNumber)?.int32Value == pid }.map { "\($0)" } ?? "not observed"
    }

    @Test func aLatencyProbeTypedAsBackgroundWorkBesideHogsIsNerfed() async throws {
        let work = try Workspace()
        defer { work.stop() }
        try work.write(["{ name: \(work.name("probe")), type: BG_CPUIO, source: model }"])
        let probe = try work.spin(work.name("probe"), "probe")
        for index in 0..<AuditTests.cpus { try work.spin(work.name("hog\(index)")) }
        try work.apply()
        let report = try work.audit()
        let nerfed = try #require(Self.finding(report, "nerfed", pid: probe), "\(Self.findings(report)) \(Self.observed(report, pid: probe))")
        #expect(nerfed["rule_location"] as? String == "\(work.catalog):3")
        #expect(nerfed["proposed_type"] as? String == "IN_DIFF")
        let behaviour = try #require(nerfed["behaviour"] as? [String: Any])
        #expect((behaviour["wait_to_run"] as? Double ?? 0) >= 1 && behaviour["policy"] as? String == "idle", "\(behaviour)")
        #expect((report["cpu_ms_per_process"] as? Double) != nil)
    }

    @Test func proposalsWaitForAPersonAndLeaveHumanRulesAlone() async throws {
        let work = try Workspace()
        defer { work.stop() }
        try work.write(["{ name: \(work.name("probe")), type: BG_CPUIO, source: model }",
                        "{ name: \(work.name("mine")), type: BG_CPUIO }"])
        let probe = try work.spin(work.name("probe"), "probe")
        let mine = try work.spin(work.name("mine"), "probe")
        for index in 0..<AuditTests.cpus { try work.spin(work.name("hog\(index)")) }
        try work.apply()
        let report = try work.audit(["--propose"])
        try #require(Self.finding(report, "nerfed", pid: probe) != nil && Self.finding(report, "nerfed", pid: mine) != nil,
                     "\(Self.findings(report)) \(Self.observed(report, pid: mine))")
        let list = try Schedcat.run(["catalog", "review", "--list", "--json", work.catalog])
        let proposed = try #require(list.json(as: [[String: Any]].self), "\(list.stdout) \(list.stderr)")
        #expect(proposed.map { $0["name"] as? String } == [work.name("probe")], "a rule a person wrote is only flagged")
        #expect(proposed.first?["source"] as? String == "audit" && proposed.first?["type"] as? String == "IN_DIFF")
        #expect((proposed.first?["reason"] as? String)?.contains("audit nerfed pid \(probe)") == true)
        let table = try Schedcat.run(["catalog", "review", "--list", work.catalog])
        #expect(table.stdout.contains("rule at \(work.catalog):3 (BG_CPUIO)"), "\(table.stdout)")

        // nothing changed until a person accepts: the wrong rule still applies
        let explain = try Schedcat.run(["catalog", "explain", "--catalog", work.catalog, "--json", "--window", "0.1"])
        let rows = explain.json(as: [[String: Any]].self) ?? []
        #expect(rows.first { ($0["pid"] as? NSNumber)?.int32Value == probe }?["type"] as? String == "BG_CPUIO", "\(explain.stderr)")
        let accept = try Schedcat.run(["catalog", "review", work.catalog, "--accept", work.name("probe")])
        #expect(accept.status == 0, "\(accept.stderr)")
        let text = try String(contentsOfFile: work.catalog, encoding: .utf8)
        #expect(text.components(separatedBy: "name: \(work.name("probe"))").count == 2, "the proposal merged into its rule: \(text)" as Comment)
        #expect(text.contains("{ name: \(work.name("probe")), type: IN_DIFF"), "\(text)")
        #expect(text.contains("{ name: \(work.name("mine")), type: BG_CPUIO }"), "\(text)")
    }

    @Test func aBoostedCPUHogBesideAProbeIsAHog() async throws {
        let work = try Workspace()
        defer { work.stop() }
        try work.write(["{ name: \(work.name("hog")), type: LowLatency_RT, source: model, \(work.spinnerPin) }"])
        let hog = try work.spin(work.name("hog"))
        try work.spin(work.name("probe"), "probe")
        // plain CPU work for the other CPUs, so that someone waits for a CPU on an idle machine too
        for index in 0..<AuditTests.cpus { try work.spin(work.name("load\(index)")) }
        try work.apply()
        let report = try work.audit()
        let finding = try #require(Self.finding(report, "hog", pid: hog), "\(Self.findings(report)) \(Self.observed(report, pid: hog))")
        #expect((finding["behaviour"] as? [String: Any])?["nice"] as? Int == -12)
        #expect(Self.findings(report).allSatisfy { $0["kind"] as? String == "hog" }, "\(Self.findings(report))")
    }

    @Test func anInteractiveChildOfALauncherWithoutARuleHasLeaked() async throws {
        let work = try Workspace()
        defer { work.stop() }
        let launcher = work.directory + "/" + work.name("launch")
        try FileManager.default.copyItem(atPath: URL(fileURLWithPath: "/bin/sh").resolvingSymlinksInPath().path, toPath: launcher)
        try work.write(["{ name: \(work.name("launch")), type: Launcher }"])
        // the child starts once apply has demoted the launcher, so it inherits nice 16
        let go = work.directory + "/go"
        let shell = try work.start(launcher, ["-c", "while [ ! -e '\(go)' ]; do sleep 0.05; done; '\(work.spinner)' \(work.name("game")) 1 60 probe & wait"])
        #expect(await ApplyTests.eventually(5) { ApplyTests.pid(named: work.name("launch")) == shell })
        try work.apply()
        #expect(FileManager.default.createFile(atPath: go, contents: nil))
        #expect(await ApplyTests.eventually(5) { ApplyTests.pid(named: work.name("game"), parent: shell) != nil })
        let child = try #require(ApplyTests.pid(named: work.name("game"), parent: shell))
        let report = try work.audit()
        let leaked = try #require(Self.finding(report, "leaked", pid: child), "\(Self.findings(report)) \(Self.observed(report, pid: child))")
        #expect(leaked["rule"] as? String == work.name("launch"))
        #expect((leaked["detail"] as? String)?.contains("launcher pid \(shell)") == true, "\(leaked)")
    }

    @Test func correctlyTypedProcessesGiveNoFinding() async throws {
        let work = try Workspace()
        defer { work.stop() }
        try work.write([
            "{ name: \(work.name("audio")), type: LowLatency_RT, source: model, \(work.spinnerPin) }",
            "{ name: \(work.name("build")), type: BG_CPUIO, source: model }",
            "{ name: \(work.name("view")), type: IN_DIFF, source: model }",
        ])
        try work.spin(work.name("audio"), "probe")
        try work.spin(work.name("build"))
        try work.spin(work.name("build"))
        try work.spin(work.name("view"), "probe")
        try work.apply()
        let report = try work.audit()
        #expect(Self.findings(report).isEmpty, "\(Self.findings(report)) \(report["observed"] ?? [])")
        #expect(report["processes_sampled"] as? Int == 4)
    }

    @Test func aRuleSomethingElseResetIsIneffective() async throws {
        let work = try Workspace()
        defer { work.stop() }
        try work.write(["{ name: \(work.name("idle")), type: BG_CPU }"])
        let pid = try work.sleeper(work.name("idle"))
        try work.apply()
        #expect(setpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(pid), 0) == 0)
        let report = try work.audit()
        let finding = try #require(Self.findings(report).first { $0["kind"] as? String == "ineffective" }, "\(Self.findings(report))")
        #expect((finding["pids"] as? [NSNumber])?.map(\.int32Value) == [pid])
        #expect((finding["detail"] as? String)?.contains("nice 0, rule says 14") == true, "\(finding)")
    }

    @Test func theDaemonAuditsEachTickAndTheOtherCommandsPointToIt() async throws {
        let work = try Workspace()
        defer { work.stop() }
        try work.write(["{ name: \(work.name("idle")), type: BG_CPU }"])
        let pid = try work.sleeper(work.name("idle"))
        try work.apply()
        #expect(setpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(pid), 0) == 0)
        let environment = ["SCHEDCAT_AUDIT_DIR": work.stateDirectory]
        // no model answers here: the tick logs that, and the audit runs all the same
        let daemon = try Schedcat.run(["daemon", "--catalog", work.catalog, "--ticks", "1", "--audit-window", "2s", "--config", "/dev/null",
                                       "--endpoint", "http://127.0.0.1:9", "--window", "0.1"], environment: environment)
        #expect(daemon.status == 0, "\(daemon.stderr)")
        let lines = daemon.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let summary = try #require(lines.compactMap { $0["audit"] as? [String: Any] }.first, "\(daemon.stdout)")
        #expect(summary["findings"] as? Int == 1 && summary["processes_sampled"] as? Int == 1, "\(summary)")
        let finding = try #require(lines.compactMap { $0["audit_finding"] as? [String: Any] }.first, "\(daemon.stdout)")
        #expect(finding["kind"] as? String == "ineffective" && finding["rule_location"] as? String == "\(work.catalog):3")
        let history = try String(contentsOfFile: work.stateDirectory + "/audit-history.json", encoding: .utf8)
        #expect(history.contains(work.name("idle")), "the rules that matched are recorded for idle-rule detection: \(history)")

        let apply = try Schedcat.run(["apply", "--once", "--dry-run", "--catalog", work.catalog], environment: environment)
        #expect(apply.stderr.contains("found 1 ineffective in \(work.catalog); see: schedcat catalog audit --catalog \(work.catalog)"),
                "\(apply.stderr)")
        let explain = try Schedcat.run(["catalog", "explain", "--catalog", work.catalog, "--window", "0.1"], environment: environment)
        let row = explain.stdout.split(separator: "\n").first { $0.hasPrefix("\(pid) ") }
        #expect(row?.contains("last audit: ineffective") == true, "\(explain.stdout)")
    }

    @Test func aRuleUnmatchedForLongerThanTheIdlePeriodIsListed() async throws {
        let work = try Workspace()
        defer { work.stop() }
        try work.write(["{ name: \(work.name("gone")), type: BG_CPUIO }", "{ name: \(work.name("recent")), type: BG_CPUIO }"])
        try FileManager.default.createDirectory(atPath: work.stateDirectory, withIntermediateDirectories: true)
        let formatter = ISO8601DateFormatter()
        let history: [String: Any] = ["since": formatter.string(from: Date().addingTimeInterval(-30 * 86_400)),
                                      "lastMatched": [work.name("recent"): formatter.string(from: Date().addingTimeInterval(-86_400))]]
        try JSONSerialization.data(withJSONObject: history).write(to: URL(fileURLWithPath: work.stateDirectory + "/audit-history.json"))
        let report = try work.audit()
        let idle = Self.findings(report).filter { $0["kind"] as? String == "idle-rule" }
        #expect(idle.map { $0["rule"] as? String } == [work.name("gone")], "\(idle)")
        let text = try String(contentsOfFile: work.catalog, encoding: .utf8)
        #expect(text.contains(work.name("gone")), "an idle rule is listed, never removed")
    }
}
