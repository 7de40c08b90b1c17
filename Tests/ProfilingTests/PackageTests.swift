// SPDX-License-Identifier: Apache-2.0
import Foundation
import LinuxSystem
import Profiling
import Testing
import TestSupport

/// Issue 13, item 3: what the distribution says a program is (dpkg's package summary) goes with
/// the process, but only for the file the package really ships.
@Suite(.serialized) struct PackageTests {
    @Test func theDatabaseNamesTheInstalledOwnerOfAPathWithItsSummary() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/info", withIntermediateDirectories: true)
        // merged /usr: the list names /bin, the process runs /usr/bin; an arch-qualified list name
        try "/.\n/bin\n/bin/jukebox\n/usr/share/doc/jukebox\n".write(toFile: root + "/info/jukebox:amd64.list", atomically: true, encoding: .utf8)
        try "/usr/sbin/gone\n".write(toFile: root + "/info/gone.list", atomically: true, encoding: .utf8)
        try """
            Package: jukebox
            Status: install ok installed
            Description: plays music from a library
             long description, not the summary

            Package: gone
            Status: deinstall ok config-files
            Description: removed but configured

            """.write(toFile: root + "/status", atomically: true, encoding: .utf8)
        let owners = PackageDatabase(directory: root).owners(of: ["/usr/bin/jukebox", "/usr/sbin/gone", "/usr/bin/unknown"])
        #expect(owners == ["/usr/bin/jukebox": PackageInfo(name: "jukebox", summary: "plays music from a library")])
        #expect(PackageDatabase(directory: root + "/missing").owners(of: ["/usr/bin/jukebox"]).isEmpty)
    }

    static let sampler = Sampler(options: SnapshotOptions(packages: PackageDatabase()))

    /// The system's own `tail`, from the real dpkg database and the real /proc.
    static func systemOwner(of path: String) throws -> PackageInfo {
        let owner = try runCommand("/usr/bin/dpkg-query", ["-S", path]).stdout.split(separator: ":").first.map(String.init)
        let name = try #require(owner, "dpkg does not know \(path)")
        let summary = try runCommand("/usr/bin/dpkg-query", ["-W", "-f", "${binary:Summary}", name]).stdout
        return PackageInfo(name: name, summary: summary)
    }

    @Test func aRunningPackagedProgramCarriesItsPackage() async throws {
        let child = try BackgroundProcess("/usr/bin/tail", ["-f", "/dev/null"])
        defer { child.terminate() }
        let snapshot = try await Self.sampler.snapshot(window: .milliseconds(200))
        let record = try #require(snapshot.processes.first { $0.pid == child.pid })
        #expect(record.package == (try Self.systemOwner(of: "/usr/bin/tail")), "\(String(describing: record.package))")
    }

    /// The attack: a second user mounts a file of its own over /usr/bin/tail in a mount namespace
    /// of its own and runs it; /proc shows /usr/bin/tail as its exe. coreutils' summary must not
    /// describe it.
    @Test func aFileMountedOverAPackagedPathGetsNoPackage() async throws {
        let directory = try Attacker.ownedDirectory()
        let attacker = try Attacker.start("""
            cp /usr/bin/sleep \(directory)/mine && mount --bind \(directory)/mine /usr/bin/tail && exec /usr/bin/tail 30
            """, namespace: true)
        defer { attacker.terminate() }
        let pid = try #require(Attacker.pid(comm: "tail", under: attacker.pid), "the attack did not start")
        defer { kill(pid, SIGKILL) }
        let snapshot = try await Self.sampler.snapshot(window: .milliseconds(200))
        let record = try #require(snapshot.processes.first { $0.pid == pid })
        #expect(record.exe == "/usr/bin/tail", "the attack is not real: its exe shows as \(record.exe ?? "nothing")")
        #expect(record.package == nil, "a file mounted over /usr/bin/tail was described as \(String(describing: record.package))")
    }
}
