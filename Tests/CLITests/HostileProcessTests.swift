// SPDX-License-Identifier: Apache-2.0
import Foundation
import TestSupport
import Testing

/// One hostile process (uid 65534) must not break schedcat for everyone, forge its output, or
/// steer it at PID 1 and itself; a hostile catalog must not amplify. Each test performs the
/// attack for real and fails if it succeeds.
@Suite(.serialized, .enabled(if: Attacker.available, "needs root, setpriv and unshare to act as uid 65534"))
struct HostileProcessTests {
    /// Bytes a terminal or a log reader acts on: C0 controls but the line feed, DEL, C1 (as UTF-8).
    static func controlBytes(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        var found: [UInt8] = []
        for (index, byte) in bytes.enumerated() {
            if (byte < 0x20 && byte != 0x0A) || byte == 0x7F { found.append(byte) }
            if byte == 0xC2, index + 1 < bytes.count, (0x80...0x9F).contains(bytes[index + 1]) { found.append(bytes[index + 1]) }
        }
        return found
    }

    static func pid1Comm() throws -> String {
        try String(contentsOfFile: "/proc/1/comm", encoding: .utf8).trimmingCharacters(in: .newlines)
    }

    // MARK: 6. a process that cannot be named does not stop generate

    @Test func aProcessNamedLikeAPathIsSkippedAndTheRestGetRules() async throws {
        try Attacker.require()
        let slashed = try Attacker.start(#"exec bash -c 'printf "a/b" > /proc/$$/comm; while sleep 1; do :; done'"#)
        defer { slashed.terminate() }
        // a NUL written as the name leaves it empty
        let empty = try Attacker.start(#"exec bash -c 'printf "\0" > /proc/$$/comm; while sleep 1; do :; done'"#)
        defer { empty.terminate() }
        let normal = try Attacker.start("exec /usr/bin/sleep 1000")
        defer { normal.terminate() }
        // the bash loop renames itself (its pid is setpriv's: every step execs); its `sleep 1`
        // children are briefly called a/b too, so the pid to expect is the loop's own
        _ = try #require(Attacker.pid(comm: "a/b", under: slashed.pid), "the attacker could not rename itself")
        let attacker = slashed.pid
        let directory = try Schedcat.temporaryDirectory()
        let snapshot = directory + "/snap.json", catalog = directory + "/new.yaml"
        let profile = try Schedcat.run(["profile", "--window", "0.3", "--output", snapshot])
        #expect(profile.status == 0, "\(profile.stderr)")
        let recorded = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: snapshot))) as? [String: Any]
        let comms = ((recorded?["processes"] as? [[String: Any]]) ?? []).compactMap { $0["comm"] as? String }
        #expect(comms.contains("a/b") && comms.contains(""), "the snapshot holds both attackers")
        // profile looks packages up: the second user's plain /usr/bin/sleep is coreutils' file
        let sleeper = ((recorded?["processes"] as? [[String: Any]]) ?? []).first { ($0["pid"] as? Int).map(Int32.init) == normal.pid }
        #expect((sleeper?["package"] as? [String: Any])?["name"] as? String == "coreutils", "\(sleeper ?? [:])")
        let generate = try Schedcat.run(["catalog", "generate", "--advisor", "heuristic", "--from", snapshot, "--catalog", catalog])
        #expect(generate.status == 0, "\(generate.stderr)")
        #expect(generate.stderr.contains("skipped 2 process(es) whose name cannot be a rule name"), "\(generate.stderr)")
        #expect(generate.stderr.contains("'a/b' (pid \(attacker))"), "\(generate.stderr)")
        let written = try String(contentsOfFile: catalog, encoding: .utf8)
        #expect(written.contains("name: sleep"), "rules were written for the others:\n\(written)")
        #expect(!written.contains("a/b"))
        let validate = try Schedcat.run(["catalog", "validate", catalog])
        #expect(validate.status == 0, "\(validate.stderr)")
    }

    /// Found by the red team: 600 processes named python3 with a 131 KB first argument made one
    /// generate write a 79 MB catalog that no later run could read. A script argument longer than
    /// a path is no name, and such an interpreter is not asked about.
    @Test func interpretersWithHugeArgumentsDoNotBloatTheCatalog() async throws {
        try Attacker.require()
        let directory = try Attacker.ownedDirectory()
        let long = String(repeating: "a", count: 200)
        let script = "\(directory)/\(long)/\(long)/s.py"
        let attackers = try (0..<5).map { _ in
            try Attacker.start("mkdir -p \(directory)/\(long)/\(long) && echo 'import time; time.sleep(60)' > \(script) && exec /usr/bin/python3 \(script)")
        }
        defer { attackers.forEach { $0.terminate() } }
        _ = try #require(Attacker.pid(comm: "python3", under: attackers[0].pid))
        let workspace = try Schedcat.temporaryDirectory()
        let snapshot = workspace + "/snap.json", catalog = workspace + "/new.yaml"
        let profile = try Schedcat.run(["profile", "--window", "0.3", "--output", snapshot])
        #expect(profile.status == 0, "\(profile.stderr)")
        let generate = try Schedcat.run(["catalog", "generate", "--advisor", "heuristic", "--from", snapshot, "--catalog", catalog])
        #expect(generate.status == 0, "\(generate.stderr)")
        #expect(generate.stderr.contains("interpreter process(es) without a script schedcat can name"), "\(generate.stderr)")
        let written = try String(contentsOfFile: catalog, encoding: .utf8)
        #expect(!written.contains(long), "a 400-byte script path became a rule")
        let evidence = (try? String(contentsOfFile: catalog + ".evidence.json", encoding: .utf8)) ?? ""
        #expect(!evidence.contains(long + "/" + long), "the evidence file keeps whole command lines")
    }

    // MARK: 7. control characters in names and cmdlines are escaped in human output

    /// comm "\e[2J\aEVIL\rX\n" (one write, so bash's line buffering does not split it), argv[0]
    /// "x\e[31m\r\nforged\a".
    static let forger = #"exec -a "$(printf 'x\033[31m\r\nforged\a')" bash -c 'printf "\033[2J\aEVIL\rX\n" > /proc/$$/comm; while sleep 1; do :; done'"# + "\n"
    static let forgedComm = "\u{1B}[2J\u{07}EVIL\rX\n"

    @Test func controlCharactersInNamesAndCmdlinesNeverReachTheTerminal() async throws {
        try Attacker.require()
        let directory = try Schedcat.temporaryDirectory()
        chmod(directory, 0o755)
        // `exec -a` is bash's: the script runs under bash, from a file the attacker can read
        try Self.forger.write(toFile: directory + "/forger.sh", atomically: true, encoding: .utf8)
        chmod(directory + "/forger.sh", 0o644)
        let forger = try Attacker.start("exec bash \(directory)/forger.sh")
        defer { forger.terminate() }
        // every step execs, so the renamed loop is the forger's own pid (its `sleep 1` children
        // carry the name briefly too)
        _ = try #require(Attacker.pid(comm: Self.forgedComm, under: forger.pid), "the attacker could not rename itself")
        let pid = forger.pid
        let catalog = directory + "/catalog.yaml"
        try """
            schema: schedcat.catalog/v1
            rules:
              - { name: "\\e[2J\\aEVIL\\rX\\n", type: BG_CPUIO }

            """.write(toFile: catalog, atomically: true, encoding: .utf8)
        let snapshot = directory + "/snap.json"
        #expect(try Schedcat.run(["profile", "--window", "0.3", "--output", snapshot]).status == 0)
        let runs: [[String]] = [
            ["profile", "--window", "0.3", "--top", "10000"],
            ["apply", "--catalog", catalog, "--once", "--dry-run"],
            ["catalog", "explain", "--from", snapshot, "--catalog", catalog],
            ["catalog", "show", catalog],
            ["catalog", "generate", "--advisor", "heuristic", "--from", snapshot, "--catalog", directory + "/gen.yaml", "--dry-run"],
        ]
        for arguments in runs {
            let output = try Schedcat.run(arguments)
            #expect(output.status == 0, "\(arguments): \(output.stderr)")
            let raw = Self.controlBytes(output.stdout) + Self.controlBytes(output.stderr)
            #expect(raw.isEmpty, "\(arguments) printed raw control bytes \(raw)")
            // nothing starts a line of its own: the forged "forged" / "X" never begin one
            let lines = (output.stdout + output.stderr).split(separator: "\n")
            #expect(!lines.contains { $0.hasPrefix("forged") || $0.hasPrefix("X") }, "\(arguments) forged a line")
        }
        let table = try Schedcat.run(["profile", "--window", "0.3", "--top", "10000"]).stdout
        #expect(table.contains(#"\e[2J\aEVIL\rX\n"#), "the name is shown escaped")
        let apply = try Schedcat.run(["apply", "--catalog", catalog, "--once", "--dry-run"])
        #expect(apply.stdout.contains(#"pid \#(pid) (\e[2J\aEVIL\rX\n)"#), "\(apply.stdout)")
        // JSON carries the exact name and argv
        let json = try Schedcat.run(["profile", "--window", "0.3", "--json"])
        let processes = json.json()?["processes"] as? [[String: Any]] ?? []
        let entry = processes.first { ($0["pid"] as? Int) == Int(pid) }
        #expect(entry?["comm"] as? String == Self.forgedComm)
        #expect((entry?["cmdline"] as? [String])?.first == "x\u{1B}[31m\r\nforged\u{07}")
        let applyJSON = try Schedcat.run(["apply", "--catalog", catalog, "--once", "--dry-run", "--json"])
        let changes = applyJSON.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(changes.contains { ($0["pid"] as? Int) == Int(pid) && $0["comm"] as? String == Self.forgedComm })
    }

    // MARK: 10. PID 1 and schedcat itself are never touched

    @Test func applyLeavesPID1AndOtherSchedcatProcessesAloneAndSaysSoOnce() async throws {
        try Attacker.require()
        let directory = try Schedcat.temporaryDirectory()
        let catalog = directory + "/catalog.yaml"
        let initName = try Self.pid1Comm()
        // a process that only calls itself schedcat is not schedcat: it gets the rule
        let impostor = try Attacker.start(#"exec bash -c 'printf schedcat > /proc/$$/comm; while sleep 1; do :; done'"#)
        defer { impostor.terminate() }
        let other = try BackgroundProcess(Schedcat.binary, ["profile", "--window", "60", "--output", directory + "/snap.json"])
        defer { other.terminate() }
        _ = try #require(Attacker.pid(comm: "schedcat", under: impostor.pid))
        let impostorPID = impostor.pid
        try """
            schema: schedcat.catalog/v1
            rules:
              - { name: \(initName), type: BG_CPUIO }
              - { name: schedcat, type: BG_CPUIO }

            """.write(toFile: catalog, atomically: true, encoding: .utf8)
        let output = try Schedcat.run(["apply", "--catalog", catalog, "--once", "--dry-run", "--json"])
        #expect(output.status == 0, "\(output.stderr)")
        let changes = output.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        let touched = Set(changes.compactMap { $0["pid"] as? Int })
        #expect(!touched.contains(1), "PID 1 would be changed: \(changes)")
        #expect(!touched.contains(Int(other.pid)), "another schedcat would be changed: \(changes)")
        #expect(touched.contains(Int(impostorPID)), "a process merely named schedcat escaped its rule: \(changes)")
        let notes = output.stderr.split(separator: "\n").filter { $0.contains("schedcat never changes PID 1 or its own processes") }
        #expect(notes.count == 1, "\(output.stderr)")
    }

    // MARK: 9. alias bombs

    @Test func anAliasBombIsRefusedQuicklyWithItsPosition() throws {
        let directory = try Schedcat.temporaryDirectory()
        var lines = ["schema: schedcat.catalog/v1", "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for level in 1...9 {
            lines.append("a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]")
        }
        let bomb = directory + "/bomb.yaml"
        try (lines + ["? *a9", ": boom", "rules: *a9"]).joined(separator: "\n").write(toFile: bomb, atomically: true, encoding: .utf8)
        // one long string reused by every rule: `show --json` printed gigabytes
        let long = directory + "/long.yaml"
        let anchored = "  Big: { nice: 1, description: &s \(String(repeating: "x", count: 50_000)) }"
        try (["schema: schedcat.catalog/v1", "types:", anchored, "rules:"] + (0..<2000).map { "  - { name: p\($0), type: Big, reason: *s }" })
            .joined(separator: "\n").write(toFile: long, atomically: true, encoding: .utf8)
        let column = anchored.distance(from: anchored.startIndex, to: anchored.firstIndex(of: "&")!) + 1
        for (file, position) in [(bomb, "2:5"), (long, "3:\(column)")] {
            for command in [["catalog", "validate", file], ["catalog", "show", "--json", file]] {
                let started = Date()
                let output = try Schedcat.run(command)
                #expect(Date().timeIntervalSince(started) < 2, "\(command) took too long")
                #expect(output.status == 2, "\(command): \(output.stderr)")
                #expect(output.stderr.contains("\(file):\(position): error: YAML anchor"), "\(output.stderr)")
                #expect(output.stdout.isEmpty)
            }
        }
    }
}
