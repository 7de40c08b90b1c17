// SPDX-License-Identifier: Apache-2.0
import Catalog
import LinuxSystem
import Testing

/// Every kind of rule condition, through everything a condition owns: parsing and writing
/// (a round trip through the catalog text), its fingerprint, matching a process (one that
/// meets it, one that does not), and who evaluates it. A new kind without a sample here fails.
@Suite struct RuleConditionTests {
    static let tool = FileIdentity(device: 0x0803, inode: 11, ownerUID: 0, mode: 0o100755)
    static let other = FileIdentity(device: 0x0803, inode: 12, ownerUID: 1000, mode: 0o100755)
    static let trust = ExecutableTrust(pins: ["/usr/bin/tool": tool], vouching: [:])

    struct Sample {
        var condition: RuleCondition
        var changed: RuleCondition
        var meets: ProcessIdentity
        var fails: ProcessIdentity
        var evaluation: RuleCondition.Evaluation
    }

    static let samples: [RuleCondition.Kind: Sample] = [
        .exe: Sample(condition: .exe("/usr/bin/tool"), changed: .exe("/usr/bin/tool2"),
                     meets: ProcessIdentity(comm: "tool", exe: "/somewhere/else", exeFile: tool),
                     fails: ProcessIdentity(comm: "tool", exe: "/usr/bin/tool", exeFile: other), evaluation: .exeMap),
        .cmdline: Sample(condition: .cmdline(["--serve", "x y"]), changed: .cmdline(["--serve"]),
                         meets: ProcessIdentity(comm: "tool", argv: ["tool", "x y", "--serve"]),
                         fails: ProcessIdentity(comm: "tool", argv: ["tool", "--serve"]), evaluation: .userSpace),
        .cgroup: Sample(condition: .cgroup("/system.slice/*.service"), changed: .cgroup("/user.slice/*"),
                        meets: ProcessIdentity(comm: "tool", cgroup: "/system.slice/tool.service"),
                        fails: ProcessIdentity(comm: "tool", cgroup: "/user.slice/session-1.scope"), evaluation: .userSpace),
    ]

    @Test func everyKindHasASample() {
        #expect(Set(Self.samples.keys) == Set(RuleCondition.Kind.allCases))
    }

    @Test(arguments: RuleCondition.Kind.allCases)
    func eachKindRoundTripsMatchesAndFingerprints(kind: RuleCondition.Kind) throws {
        let sample = try #require(Self.samples[kind])
        #expect(sample.condition.kind == kind && sample.condition.key == kind.rawValue)
        let rule = Rule(identity: RuleIdentity(name: "tool", conditions: [sample.condition]), type: "BG_CPUIO")
        let text = CatalogWriter.render(Catalog(types: [], rules: [rule]))
        let parsed = try CatalogParser.load(text, file: "c.yaml")
        #expect(parsed.rules.first?.identity == rule.identity, "\(text)")
        var changed = rule
        changed.identity.set(sample.changed)
        #expect(RuleFingerprint.of(changed) != RuleFingerprint.of(rule))
        #expect(sample.condition.holds(for: sample.meets, trust: Self.trust))
        #expect(!sample.condition.holds(for: sample.fails, trust: Self.trust))
        #expect(sample.condition.evaluation == sample.evaluation)
        #expect(sample.condition.description.hasPrefix(kind.rawValue + "="))
        let matcher = RuleMatcher(Catalog(types: DefaultTypes.all, rules: [rule]), trust: Self.trust)
        #expect(matcher.match(sample.meets)?.conditions == [kind.rawValue])
        #expect(matcher.match(sample.fails) == nil)
    }

    @Test func badValuesNameTheKey() {
        let text = """
            schema: schedcat.catalog/v1
            rules:
              - { name: a, type: BG_CPUIO, exe: relative }
              - { name: b, type: BG_CPUIO, cmdline: [] }
              - { name: c, type: BG_CPUIO, cgroup: "" }
            """
        let (_, diagnostics) = CatalogParser.parse(text, file: "c.yaml")
        #expect(diagnostics.map(\.key) == ["exe", "cmdline", "cgroup"], "\(diagnostics)")
    }

    @Test func onlyAPinToANonInterpreterVouches() {
        #expect(RuleCondition.exe("/usr/bin/tool").vouchesForBoost)
        #expect(!RuleCondition.exe("/usr/bin/python3.11").vouchesForBoost)
        #expect(RuleCondition.exe("/usr/bin/python3.11").evaluation == .userSpace)
        #expect(!RuleCondition.cmdline(["x"]).vouchesForBoost && !RuleCondition.cgroup("*").vouchesForBoost)
    }
}

/// Interpreters are recognised by their stem, whatever version or triplet follows (the red team
/// found perl5.36-x86_64-linux-gnu vouching); programs that merely contain such letters are not.
@Suite struct InterpreterNameTests {
    @Test(arguments: ["python3.11", "perl5.36-x86_64-linux-gnu", "lua5.4", "php8.2", "qemu-system-x86_64", "vim.basic",
                      "gdb", "bash", "sh", "wine64-preloader", "node", "java", "Rscript", "busybox", "env"])
    func interpreters(name: String) {
        #expect(ExecutableTrust.isInterpreter(name))
    }

    @Test(arguments: ["pipewire", "mpv", "firefox-esr", "shotwell", "sleep", "tset", "steam", "jackd", "kwin_x11"])
    func programs(name: String) {
        #expect(!ExecutableTrust.isInterpreter(name))
    }
}
