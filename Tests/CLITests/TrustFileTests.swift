// SPDX-License-Identifier: Apache-2.0
import Foundation
import TestSupport
import Testing

/// Issue 12, items 4, 5 and 11: files planted by another user (uid 65534) in a directory it can
/// write must never steer root's reads or writes. Each attack runs for real against the built
/// binary, as root, and the test fails if it succeeds.
@Suite(.serialized) struct TrustFiles {
    static let rootCatalog = "schema: schedcat.catalog/v1\nrules:\n  - { name: rootrule, type: Game }\n"
    static let proposedCatalog = """
        schema: schedcat.catalog/v1
        rules:
          - { name: pipewire, type: LowLatency_RT, status: proposed, source: model, model: m, reason: "audio server" }
          - { name: mine, type: Game, nice: -2 }

        """

    /// A sticky world-writable directory (like /tmp) holding a root-owned catalog, and a
    /// root-owned directory the attacker's symlinks point into (root could create files there).
    struct Scene {
        let shared: String
        let catalog: String
        let target: String

        init(catalog text: String = TrustFiles.rootCatalog) throws {
            shared = try Attacker.stickyDirectory()
            catalog = shared + "/cat.yaml"
            target = try Schedcat.temporaryDirectory()
            chmod(target, 0o755)
            try text.write(toFile: catalog, atomically: false, encoding: .utf8)
            chmod(catalog, 0o644)
        }

        /// The attacker plants `shared/name -> target/created-by-<what>`; returns the link's target.
        func plant(_ name: String, _ what: String) throws -> String {
            let destination = "\(target)/created-by-\(what)"
            let planted = try Attacker.run("ln -s '\(destination)' '\(shared)/\(name)'")
            #expect(planted.status == 0, "the attacker could not plant \(name): \(planted.stderr)")
            return destination
        }

        func unplant(_ name: String) throws {
            #expect(try Attacker.run("rm -f '\(shared)/\(name)'").status == 0)
        }

        var targetEntries: [String] { (try? FileManager.default.contentsOfDirectory(atPath: target)) ?? [] }
    }

    static func generate(_ catalog: String) throws -> Schedcat.Output {
        try Schedcat.run(["catalog", "generate", "--advisor", "heuristic", "--from", Schedcat.fixture("snapshots/explain.json"),
                          "--catalog", catalog])
    }

    @Test(.enabled(if: Attacker.available)) func aPlantedLockSymlinkCreatesNothing() throws {
        try Attacker.require()
        let scene = try Scene(catalog: Self.proposedCatalog)
        let created = try scene.plant("cat.yaml.lock", "lock")
        let before = try String(contentsOfFile: scene.catalog, encoding: .utf8)
        for command in [["generate"], ["review"]] {
            let result = command == ["generate"] ? try Self.generate(scene.catalog)
                                                 : try Schedcat.run(["catalog", "review", scene.catalog, "--accept-all"])
            #expect(result.status != 0, "\(command): root followed the planted lock symlink")
            #expect(result.stderr.contains("cat.yaml.lock: is a symbolic link"), "\(command): \(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: created), "\(command) created \(created) as root")
        }
        #expect(try String(contentsOfFile: scene.catalog, encoding: .utf8) == before, "nothing written without the lock")

        // a lock file that belongs to the attacker could be held forever: refused as well
        try scene.unplant("cat.yaml.lock")
        #expect(try Attacker.run("touch '\(scene.shared)/cat.yaml.lock'").status == 0)
        let foreign = try Schedcat.run(["catalog", "review", scene.catalog, "--accept-all"])
        #expect(foreign.status != 0 && foreign.stderr.contains("owned by uid 65534"), "\(foreign.stderr)")
    }

    @Test(.enabled(if: Attacker.available)) func plantedBackupAndEvidenceSymlinksAreNeverFollowed() throws {
        try Attacker.require()
        let scene = try Scene(catalog: Self.proposedCatalog)
        let backup = try scene.plant("cat.yaml.bak", "bak")
        for command in ["generate", "review"] {
            let result = command == "generate" ? try Self.generate(scene.catalog)
                                               : try Schedcat.run(["catalog", "review", scene.catalog, "--accept-all"])
            #expect(result.status != 0, "\(command): a planted .bak symlink was accepted")
            #expect(result.stderr.contains("cat.yaml.bak: is a symbolic link"), "\(command): \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: backup) && scene.targetEntries.isEmpty)

        let fresh = try Scene(catalog: Self.proposedCatalog)
        let evidence = try fresh.plant("cat.yaml.evidence.json", "evidence")
        let generated = try Self.generate(fresh.catalog)
        #expect(generated.status != 0, "generate wrote its evidence through a planted symlink")
        #expect(generated.stderr.contains("cat.yaml.evidence.json: is a symbolic link"), "\(generated.stderr)")
        try fresh.unplant("cat.yaml.evidence.json")
        // temp files: created O_EXCL|O_NOFOLLOW under a random name, so a plant can only sit beside them
        _ = try fresh.plant(".cat.yaml.tmp", "tmp")
        let clean = try Self.generate(fresh.catalog)
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(!FileManager.default.fileExists(atPath: evidence))
        #expect(fresh.targetEntries.isEmpty, "root created \(fresh.targetEntries) through planted links")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: fresh.shared).filter { $0.contains(".tmp.") }
        #expect(leftovers.isEmpty, "temporary files left behind: \(leftovers)")
    }

    @Test(.enabled(if: Attacker.available)) func profileNeverWritesThroughAPlantedOutput() throws {
        try Attacker.require()
        let scene = try Scene()
        let created = try scene.plant("snap.json", "profile")
        for force in [false, true] {
            let result = try Schedcat.run(["profile", "--window", "0.1", "--output", scene.shared + "/snap.json"] + (force ? ["--force"] : []))
            #expect(result.status != 0, "profile --output wrote through a planted symlink (force: \(force))")
            #expect(result.stderr.contains("snap.json: is a symbolic link"), "\(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: created) && scene.targetEntries.isEmpty)
    }

    @Test(.enabled(if: Attacker.available)) func exportRefusesASymlinkedOutputDirectory() throws {
        try Attacker.require()
        let scene = try Scene()
        let planted = try Attacker.run("ln -s '\(scene.target)' '\(scene.shared)/out' && ln -s '\(scene.target)/new' '\(scene.shared)/dangling'")
        #expect(planted.status == 0, "\(planted.stderr)")
        for output in ["out", "dangling"] {
            for force in [false, true] {
                let result = try Schedcat.run(["catalog", "export", "--ananicy", "\(scene.shared)/\(output)", scene.catalog]
                                              + (force ? ["--force"] : []))
                #expect(result.status != 0, "export followed the planted \(output) directory link")
                #expect(result.stderr.contains("\(output): is a symbolic link"), "\(result.stderr)")
            }
        }
        #expect(scene.targetEntries.isEmpty, "export wrote \(scene.targetEntries) into the attacker's target")
    }

    /// Swaps cat.yaml between a symlink to root's catalog and the attacker's own catalog with
    /// renameat2(RENAME_EXCHANGE), as fast as the kernel allows.
    static let swapper = """
        my ($a, $b) = ("cat.yaml", "other");
        while (1) { syscall(316, -100, $a, -100, $b, 2) == 0 or die "renameat2: $!"; }

        """

    @Test(.enabled(if: Attacker.available)) func theSymlinkSwapRaceNeverLoadsTheAttackersCatalog() async throws {
        try Attacker.require()
        #expect(FileManager.default.isExecutableFile(atPath: "/usr/bin/perl"), "the swapping attacker needs perl")
        let scene = try Scene()
        try Self.rootCatalog.write(toFile: scene.shared + "/root.yaml", atomically: false, encoding: .utf8)
        chmod(scene.shared + "/root.yaml", 0o644)
        try FileManager.default.removeItem(atPath: scene.catalog)
        let script = scene.target + "/swap.pl"
        try Self.swapper.write(toFile: script, atomically: false, encoding: .utf8)
        chmod(script, 0o644)
        // root's own process, which only the attacker's catalog renices
        let victim = Process()
        victim.executableURL = URL(fileURLWithPath: scene.target + "/sc-victim")
        try FileManager.default.copyItem(atPath: URL(fileURLWithPath: "/bin/sleep").resolvingSymlinksInPath().path,
                                         toPath: scene.target + "/sc-victim")
        victim.arguments = ["120"]
        try victim.run()
        defer { victim.terminate() }

        let evil = "schema: schedcat.catalog/v1\\nrules:\\n  - { name: sc-victim, nice: 7 }\\n  - { name: evil2, type: Game }\\n  - { name: evil3, type: Game }\\n"
        let attacker = try Attacker.start("""
            cd '\(scene.shared)' && printf '\(evil)' > evil.yaml && chmod 644 evil.yaml && ln -s root.yaml cat.yaml \
            && ln evil.yaml other && exec /usr/bin/perl '\(script)'
            """)
        defer { attacker.terminate() }
        try await Task.sleep(nanoseconds: 300_000_000)
        #expect(attacker.isRunning, "the swapping attacker did not start")
        var loadedAttackers = 0, loadedRoots = 0, validations = 0
        let deadline = Date().addingTimeInterval(30)
        while validations < 200 && Date() < deadline {
            let result = try Schedcat.run(["catalog", "validate", scene.catalog])
            validations += 1
            if result.stdout.contains("3 rules") { loadedAttackers += 1 }
            if result.stdout.contains("1 rules") { loadedRoots += 1 }
        }
        var applied = 0, applies = 0
        while applies < 40 && Date() < deadline.addingTimeInterval(15) {
            let result = try Schedcat.run(["apply", "--catalog", scene.catalog, "--once", "--dry-run", "--json"])
            applies += 1
            if result.stdout.contains("sc-victim") { applied += 1 }
        }
        #expect(attacker.isRunning, "the attacker stopped swapping early")
        #expect(validations >= 100 && applies >= 20, "too few runs to judge the race: \(validations) validate, \(applies) apply")
        #expect(loadedAttackers == 0, "validate loaded the attacker's catalog \(loadedAttackers) of \(validations) times")
        #expect(applied == 0, "apply used the attacker's catalog \(applied) of \(applies) times")
        #expect(loadedRoots == 0, "a catalog reached through the attacker's symlink was accepted \(loadedRoots) times")
    }

    @Test(.enabled(if: Attacker.available)) func anImportTreeWithAFIFOOrADeviceIsNamedNotWaitedOn() throws {
        try Attacker.require()
        let rule = #"{ "name": "ok", "type": "Game" }"#
        for (plant, expected) in [("mkfifo pipe.rules", "pipe.rules: is a FIFO, not a regular file"),
                                  // a link out of the tree (to a device, or to /etc/shadow) is never read
                                  ("ln -s /dev/zero zero.rules", "zero.rules: leads outside the imported tree (to /dev/zero)"),
                                  ("ln -s /etc/shadow b.rules", "b.rules: leads outside the imported tree (to /etc/shadow)")] {
            let tree = try Attacker.ownedDirectory()
            let made = try Attacker.run("cd '\(tree)' && printf '%s\\n' '\(rule)' > a.rules && \(plant)")
            #expect(made.status == 0, "\(made.stderr)")
            let started = Date()
            let result = try run(Schedcat.binary, ["catalog", "import", "--ananicy", tree], timeout: 10)
            #expect(Date().timeIntervalSince(started) < 10, "import hung on \(plant)")
            #expect(result.status != 0, "import accepted a tree with \(plant)")
            #expect(result.stderr.contains(expected), "\(result.stderr)")
        }
    }

    @Test func binaryAndUTF16CatalogsAreInvalidInputWithAPlace() throws {
        let directory = try Schedcat.temporaryDirectory()
        var garbage: [UInt8] = Array("schema: schedcat.catalog/v1\n".utf8) + [0xFF, 0xFE, 0x00, 0x9C, 0x80, 0x01]
        garbage += (0..<256).map { UInt8(($0 * 37 + 11) % 256) }
        let utf16 = [UInt8]([0xFF, 0xFE]) + Self.rootCatalog.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let utf16WithoutMark = Array(Self.rootCatalog.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        for (name, bytes, place) in [("garbage.yaml", garbage, ":2:1: error"), ("utf16.yaml", utf16, ":1:1: error"),
                                     ("utf16-no-bom.yaml", utf16WithoutMark, ":1:2: error")] {
            let path = directory + "/" + name
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            for arguments in [["catalog", "validate", path], ["catalog", "show", path], ["apply", "--catalog", path, "--once", "--dry-run"]] {
                let result = try Schedcat.run(arguments)
                #expect(result.status == 2, "\(arguments): exit \(result.status): \(result.stderr)")
                #expect(result.stderr.contains(path + place), "\(arguments): \(result.stderr)")
            }
        }
    }

    /// Runs a program, killing it after `timeout` seconds.
    func run(_ path: String, _ arguments: [String], timeout: Double) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        _ = out.fileHandleForReading.readDataToEndOfFile()
        return (process.terminationStatus, String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
    }
}
