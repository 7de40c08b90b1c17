// SPDX-License-Identifier: Apache-2.0
import Foundation
import Profiling
import TestSupport
import Testing

/// The `schedcat profile` command line, run as a separate process.
@Suite struct ProfileCommandTests {
    @Test func theDefaultOutputIsATableOfTheBusiestProcesses() throws {
        let schedcat = Schedcat.binary
        let result = try runCommand(schedcat, ["profile", "--window", "0.3", "--top", "5"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first?.contains("processes over 0.3") == true)
        #expect(lines.dropFirst().first?.hasPrefix("PID") == true)
        #expect(lines.count == 1 + 1 + 5 + 1)
    }

    @Test func jsonAndOutputGiveTheSnapshotAndOutputRefusesToOverwrite() throws {
        let schedcat = Schedcat.binary
        let printed = try runCommand(schedcat, ["profile", "--window", "0.2", "--json"])
        #expect(printed.status == 0, "\(printed.stderr)")
        let snapshot = try Snapshot.decode(Data(printed.stdout.utf8), source: "stdout")
        #expect(!snapshot.processes.isEmpty && !snapshot.processes.contains { $0.kernelThread })
        let version = try runCommand(schedcat, ["--version"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!version.isEmpty && snapshot.schedcatVersion == version, "the snapshot names the schedcat that took it")

        let path = try Schedcat.temporaryDirectory() + "/snap.json"
        #expect(try runCommand(schedcat, ["profile", "--window", "0.2", "--output", path]).status == 0)
        let saved = try Snapshot.load(path)
        let again = try runCommand(schedcat, ["profile", "--window", "0.2", "--output", path])
        #expect(again.status == 1 && again.stderr.contains("already exists"))
        #expect(try Snapshot.load(path) == saved)
        #expect(try runCommand(schedcat, ["profile", "--window", "0.2", "--output", path, "--force"]).status == 0)
        #expect(try Snapshot.load(path) != saved)

        let shown = try runCommand(schedcat, ["profile", "--from", path, "--top", "3"])
        #expect(shown.status == 0 && shown.stdout.contains("PID"))
    }

    @Test func aBadSnapshotFileExitsWith2() throws {
        let schedcat = Schedcat.binary
        let path = try Schedcat.temporaryDirectory() + "/bad.json"
        try #"{"schema": "something/else"}"#.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try runCommand(schedcat, ["profile", "--from", path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("not a schedcat snapshot"))
        #expect(try runCommand(schedcat, ["profile", "--from", path + ".missing"]).status == 1)
        #expect(try runCommand(schedcat, ["profile", "--window", "-1"]).status != 0)
    }

    @Test func noSchedcatProcessIsEverReportedNotOnlyThisOne() throws {
        let schedcat = Schedcat.binary
        let other = Process()
        other.executableURL = URL(fileURLWithPath: schedcat)
        other.arguments = ["profile", "--window", "3"]
        other.standardOutput = FileHandle.nullDevice
        try other.run()
        defer { other.terminate(); other.waitUntilExit() }
        let result = try runCommand(schedcat, ["profile", "--window", "0.3", "--json"])
        let snapshot = try Snapshot.decode(Data(result.stdout.utf8), source: "stdout")
        #expect(other.isRunning)
        #expect(!snapshot.processes.contains { $0.pid == other.processIdentifier || $0.exe == schedcat })
        #expect(snapshot.processes.contains { $0.pid == getpid() })
    }

    /// Not root: what another user's process hides (exe, io) is null, and the run succeeds.
    @Test(.enabled(if: Attacker.available, "needs root and setpriv (CI fails instead)"))
    func unreadableFieldsOfOtherUsersProcessesAreNullNotErrors() throws {
        let result = try Attacker.run("'\(Schedcat.binary)' profile --window 0.2 --json")
        #expect(result.status == 0, "\(result.stderr)")
        let snapshot = try Snapshot.decode(Data(result.stdout.utf8), source: "stdout")
        // This test process runs as root, so the unprivileged profiler may not read its exe or io.
        let me = try #require(snapshot.processes.first { $0.pid == getpid() })
        #expect(me.comm == ThisProcess.comm)
        #expect(me.exe == nil && me.exeIdentity == nil)
        #expect(me.readBytesPerSecond == nil && me.writeBytesPerSecond == nil)
        #expect(me.cpuPercent != nil && me.uid == 0 && me.cmdline != nil)
    }
}

enum ThisProcess {
    static var comm: String? {
        try? String(contentsOfFile: "/proc/self/comm", encoding: .utf8).trimmingCharacters(in: .newlines)
    }
}
