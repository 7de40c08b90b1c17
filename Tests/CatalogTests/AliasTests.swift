// SPDX-License-Identifier: Apache-2.0
import Catalog
import Foundation
import LinuxSystem
import Testing

/// YAML anchors and aliases are refused before the document is composed: a few hundred bytes of
/// nested aliases expand to more than memory holds.
@Suite struct AliasTests {
    func errors(_ yaml: String) -> [Diagnostic] {
        CatalogParser.parse(yaml, file: "t.yaml").diagnostics.filter { $0.severity == .error }
    }

    /// Billion laughs: ten levels of ten aliases each, 10^10 scalars once expanded, used as a
    /// mapping key (hashed while composing) and as a value.
    static let laughs: String = {
        var lines = ["schema: schedcat.catalog/v1", "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for level in 1...9 {
            lines.append("a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]")
        }
        return (lines + ["? *a9", ": boom", "rules: *a9"]).joined(separator: "\n") + "\n"
    }()

    @Test func billionLaughsIsRefusedAtTheFirstAnchorWithoutExpanding() {
        let clock = ContinuousClock()
        let started = clock.now
        let found = errors(Self.laughs)
        #expect(clock.now - started < .seconds(1))
        #expect(found.count == 1)
        #expect(found.first?.location == FilePosition(line: 2, column: 5), "\(found)")
        #expect(found.first?.description.hasPrefix("t.yaml:2:5: error: YAML anchor '&a0': anchors and aliases are not allowed") == true)
    }

    @Test func anAliasWithoutItsAnchorIsRefusedToo() {
        let found = errors("schema: schedcat.catalog/v1\nrules:\n  - { name: x, type: *t }\n")
        #expect(found.first?.location == FilePosition(line: 3, column: 22), "\(found)")
        #expect(found.first?.message.contains("YAML alias '*t'") == true)
    }

    @Test func ampersandsAndStarsInStringsAndCommentsAreText() throws {
        let yaml = """
            schema: schedcat.catalog/v1
            # a comment with &anchor and *alias
            rules:
              - name: "&amp"
                type: BG_CPUIO
                reason: 'uses *stars* & ampersands'
              - name: tom&jerry
                type: BG_CPUIO
                reason: |
                  block text &x *y
                cmdline: ["*glob*", "&"]
              - { name: a*b, type: BG_CPUIO, reason: x & *y }

            """
        let catalog = try CatalogParser.load(yaml, file: "t.yaml")
        #expect(catalog.rules.map(\.name) == ["&amp", "tom&jerry", "a*b"])
        #expect(catalog.rules[0].reason == "uses *stars* & ampersands")
        #expect(catalog.rules[1].identity.condition(.cmdline) == .cmdline(["*glob*", "&"]))
        #expect(catalog.rules[2].reason == "x & *y")
    }
}

@Suite struct TerminalTextTests {
    @Test func controlCharactersBecomeVisibleEscapes() {
        #expect("a\u{1B}[2J\u{07}b\rc\nd\te\u{7F}f\u{0}g\u{85}h\u{202E}i".escapedForTerminal
                == #"a\e[2J\ab\rc\nd\te\x7ff\0g\x85h\u{202e}i"#)
        #expect("plain text, ünïcode & \\backslash".escapedForTerminal == "plain text, ünïcode & \\backslash")
        let once = "x\u{1B}y\n".escapedForTerminal
        #expect(once.escapedForTerminal == once)
    }
}

/// Red team: a process named "\u{202e}evil" became a catalog line that `cat` showed reordered.
@Suite struct CatalogTextTests {
    @Test func namesThatReorderALineAreWrittenEscapedAndReadBackExactly() throws {
        let name = "\u{202E}evil\u{2066}x"
        let rule = Rule(identity: RuleIdentity(name: name), type: "BG_CPUIO")
        let text = CatalogWriter.render(Catalog(types: [], rules: [rule]))
        #expect(!text.unicodeScalars.contains { $0.value == 0x202E || $0.value == 0x2066 }, "\(text)")
        #expect(try CatalogParser.load(text, file: "c.yaml").rules.first?.name == name)
    }
}
