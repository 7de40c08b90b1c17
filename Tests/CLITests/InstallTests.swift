// SPDX-License-Identifier: Apache-2.0
import Foundation
import TestSupport
import Testing

@Suite struct InstallTests {
    static let analyze = "/usr/bin/systemd-analyze"

    func run(_ path: String, _ arguments: [String], environment: [String: String] = [:]) throws -> Schedcat.Output {
        try runCommand(path, arguments, environment: environment)
    }

    @Test func installedUnitsPassSystemdVerifyAndAPersonsCatalogIsKept() throws {
        let ci = ProcessInfo.processInfo.environment["CI"] == "true"
        guard FileManager.default.isExecutableFile(atPath: Self.analyze) else {
            if ci { Issue.record("CI=true but \(Self.analyze) is missing (scripts/setup-host installs systemd)") }
            return
        }
        let root = try Schedcat.temporaryDirectory()
        let environment = ["SCHEDCAT_BIN": Schedcat.binary, "PREFIX": root + "/usr", "SYSCONFDIR": root + "/etc"]
        let install = try run(Schedcat.packageRoot + "/scripts/install", [], environment: environment)
        #expect(install.status == 0, "\(install.stdout)\(install.stderr)")

        let units = root + "/usr/lib/systemd/system"
        let names = try FileManager.default.contentsOfDirectory(atPath: units).sorted()
        #expect(names == ["schedcat-apply.service", "schedcat-regenerate.service", "schedcat-regenerate.timer",
                          "schedcat-scheduler.service"])
        for name in names {
            let verify = try run(Self.analyze, ["verify", "\(units)/\(name)"])
            #expect(verify.status == 0 && verify.stderr.isEmpty && verify.stdout.isEmpty,
                    "\(name): \(verify.stdout)\(verify.stderr)")
            let text = try String(contentsOfFile: "\(units)/\(name)", encoding: .utf8)
            #expect(!text.contains("@"), "\(name) has an unsubstituted placeholder")
        }

        // the man page and the completions the binary generates, where bash-completion, zsh and fish look
        #expect(FileManager.default.contentsEqual(atPath: root + "/usr/share/man/man8/schedcat.8",
                                                  andPath: Schedcat.packageRoot + "/docs/schedcat.8"))
        for (file, shell) in [("/usr/share/bash-completion/completions/schedcat", "bash"),
                              ("/usr/share/zsh/site-functions/_schedcat", "zsh"),
                              ("/usr/share/fish/vendor_completions.d/schedcat.fish", "fish")] {
            let text = try String(contentsOfFile: root + file, encoding: .utf8)
            let generated = try Schedcat.run(["--generate-completion-script", shell]).stdout
            let sourced = generated.hasPrefix("#!") ? String(generated.drop { $0 != "\n" }.dropFirst()) : generated
            #expect(!text.isEmpty && text == sourced, "\(file)")
        }
        let cron = try String(contentsOfFile: root + "/etc/cron.d/schedcat", encoding: .utf8)
        #expect(cron.contains("/schedcat daemon --ticks 1") && !cron.split(separator: "\n").contains { !$0.hasPrefix("#") },
                "the cron job is installed disabled, like the units")
        let parses = try run("/bin/bash", ["-n", root + "/usr/share/bash-completion/completions/schedcat"])
        #expect(parses.status == 0, "the bash completion parses: \(parses.stderr)")

        let catalog = root + "/etc/schedcat/catalog.yaml"
        try (try String(contentsOfFile: catalog, encoding: .utf8) + "# a person's edit\n").write(toFile: catalog, atomically: true, encoding: .utf8)
        let edited = try String(contentsOfFile: catalog, encoding: .utf8)
        let again = try run(Schedcat.packageRoot + "/scripts/install", [], environment: environment)
        #expect(again.status == 0 && again.stdout.contains("kept existing \(catalog)"))
        #expect(try String(contentsOfFile: catalog, encoding: .utf8) == edited)

        let installed = try run(root + "/usr/bin/schedcat", ["apply", "--config", root + "/etc/schedcat/config.yaml", "--once", "--dry-run"])
        #expect(installed.status == 0, "the installed binary runs with the installed config: \(installed.stderr)")
    }
}

/// `schedcat --version` prints the one version string and exits 0.
@Suite struct VersionTests {
    @Test func versionIsPrinted() throws {
        let output = try Schedcat.run(["--version"])
        #expect(output.status == 0)
        let version = output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(version.split(separator: ".").count == 3 && version.split(separator: ".").allSatisfy { Int($0) != nil }, "\(version)")
    }
}
