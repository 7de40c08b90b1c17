// SPDX-License-Identifier: Apache-2.0
import Foundation
import TestSupport
import Testing

/// docs/schedcat.8 (scripts/generate-manual) documents every subcommand and every long option the
/// built schedcat's own --help lists, walked recursively. scripts/package-deb also refuses a page
/// that differs from a fresh generation.
@Suite struct ManualPageTests {
    static let page = Schedcat.packageRoot + "/docs/schedcat.8"

    /// The names in a help text's SUBCOMMANDS section and the long options in its OPTIONS section.
    static func listed(in help: String) -> (subcommands: [String], options: [String]) {
        var section = ""
        var subcommands: [String] = []
        var options: [String] = []
        for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
            if let first = line.first, first != " " { section = String(line); continue }
            let words = line.split(separator: " ")
            guard let word = words.first, line.hasPrefix("  "), !line.hasPrefix("   ") else { continue }
            // "  name   description" (never the closing "  See 'schedcat help ...' for detailed help.")
            if section.hasPrefix("SUBCOMMANDS") && (line.contains(word + "  ") || line == "  " + word)
                && word.allSatisfy({ ("a"..."z").contains($0) || $0 == "-" }) {
                subcommands.append(String(word))
            } else if section.hasPrefix("OPTIONS") {
                for flag in words.prefix(2) where flag.hasPrefix("--") {
                    options.append(String(flag.trimmingCharacters(in: CharacterSet(charactersIn: ","))))
                }
            }
        }
        return (subcommands, options)
    }

    @Test func everySubcommandAndOptionIsInTheManualPage() throws {
        let page = try String(contentsOfFile: Self.page, encoding: .utf8)
        // ".It Fl -json", ".It Fl o , -output Ar file": the words of every option entry
        let optionWords = Set(page.split(separator: "\n").filter { $0.hasPrefix(".It Fl ") }
            .flatMap { $0.split(separator: " ").map(String.init) })
        #expect(page.contains(".Dt SCHEDCAT 8"))
        var pending: [[String]] = [[]]
        var seen: [String] = []
        while let path = pending.popLast() {
            let help = try Schedcat.run(path + ["--help"])
            try #require(help.status == 0 && path.count < 4, "schedcat \(path.joined(separator: " ")) --help: \(help.stderr)")
            let (subcommands, options) = Self.listed(in: help.stdout)
            for name in subcommands where name != "help" {
                #expect(page.contains(".It Em \(name)\n"), "docs/schedcat.8 lacks the subcommand '\(path.joined(separator: " ")) \(name)'; run scripts/generate-manual")
                pending.append(path + [name])
                seen.append((path + [name]).joined(separator: " "))
            }
            for option in options {
                #expect(optionWords.contains(String(option.dropFirst())), "docs/schedcat.8 lacks \(option) of 'schedcat \(path.joined(separator: " "))'; run scripts/generate-manual")
            }
        }
        // the walk itself: the top level and catalog's subcommands at least
        #expect(Set(["catalog", "profile", "scheduler", "apply", "daemon", "catalog validate", "catalog review",
                     "scheduler load"]).isSubset(of: Set(seen)), "\(seen)")
    }
}
