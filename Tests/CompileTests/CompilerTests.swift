// SPDX-License-Identifier: Apache-2.0
import Catalog
import Compile
import ProcFS
import SchedcatABI
import Testing
import LinuxSystem

@Suite struct CompilerTests {
    static let fixture = """
    schema: schedcat.catalog/v1
    types:
      Snappy: { nice: -3, latency_nice: -10 }
    rules:
      - { name: mpv, type: Player-Video }
      - { name: baloo_file_extractor, type: BG_CPUIO }
      - { name: make, type: Heavy_CPU }
      - { name: pipewire, type: LowLatency_RT, exe: /usr/bin/pipewire }
      - { name: pipewire-pulse, type: LowLatency_RT, exe: /usr/bin/pipewire-pulse }
      - { name: python3, type: BG_CPU, cmdline: [backup.py] }
      - { name: some-long-daemon-name-a, type: Service, match_truncated: false }
      - { name: steam, type: Launcher, status: proposed }
      - { name: ghost, type: Game, status: rejected }
      - { name: compositor, type: Snappy, cpus: performance }
      - { name: pinned-tool, type: IN_DIFF, cpus: "2-3" }
      - { name: oomy, type: OOM_KILL }
      - { name: missing, type: Game, exe: /opt/nowhere/missing }
    """

    static let topology = CPUTopology(online: Array(0...7), performance: [0, 1, 2, 3], efficiency: [4, 5, 6, 7], source: "test")

    static let pipewire = FileIdentity(device: 0x0803, inode: 4242, ownerUID: 0, mode: 0o100755)
    static let mpv = FileIdentity(device: 0x0803, inode: 5151, ownerUID: 0, mode: 0o100755)
    static let python = FileIdentity(device: 0x0803, inode: 6161, ownerUID: 0, mode: 0o100755)

    /// Fake file identities: pipewire and pipewire-pulse resolve, "missing" does not; the system
    /// has an mpv binary (which vouches for the name) but no "compositor".
    static let trust = ExecutableTrust(pins: [
        "/usr/bin/pipewire": pipewire,
        "/usr/bin/pipewire-pulse": FileIdentity(device: 0x0803, inode: 4243, ownerUID: 0, mode: 0o100755),
        "/usr/bin/python3.11": python,
    ], vouching: ["mpv": [ExecutableTrust.Candidate(path: "/usr/bin/mpv", file: mpv)]])

    func compile(includeProposed: Bool = false) throws -> (CompiledPolicy, ProcessResolver) {
        let catalog = try CatalogParser.load(Self.fixture, file: "fixture.yaml")
        return PolicyCompiler.compile(catalog, options: CompileOptions(includeProposed: includeProposed, topology: Self.topology,
                                                                        trust: Self.trust))
    }

    @Test func classesAreTheExactCPUPartOfEachType() throws {
        let (policy, _) = try compile()
        let rows = policy.classes.map { "\($0.id) \($0.label) w=\($0.weight) slice=\($0.sliceNs) idle=\($0.idle) cpus=\($0.cpus ?? [])" }
        #expect(rows == [
            "0 default w=0 slice=3000000 idle=false cpus=[]",
            "1 Player-Video w=2501 slice=3000000 idle=false cpus=[]",
            "2 Player-Video (unvouched) w=1024 slice=3000000 idle=false cpus=[]",
            "3 BG_CPUIO w=29 slice=3000000 idle=true cpus=[]",
            "4 Heavy_CPU w=137 slice=3000000 idle=false cpus=[]",
            "5 LowLatency_RT w=14949 slice=3000000 idle=false cpus=[]",
            "6 BG_CPU w=45 slice=3000000 idle=true cpus=[]",
            "7 Service w=110 slice=3000000 idle=false cpus=[]",
            "8 Snappy w=1991 slice=750000 idle=false cpus=[0, 1, 2, 3]",
            "9 Snappy (unvouched) w=1024 slice=3000000 idle=false cpus=[0, 1, 2, 3]",
            "10 IN_DIFF w=1024 slice=3000000 idle=false cpus=[2, 3]",
            "11 OOM_KILL w=0 slice=3000000 idle=false cpus=[]",
        ], "\(rows.joined(separator: "\n"))")
    }

    @Test func commEntriesAreExactAndBoostsNeedAVouchingExecutable() throws {
        let (policy, _) = try compile()
        // a boosting rule's comm entry carries its boost-free class: a name alone earns no boost
        #expect(policy.comm == [
            CommEntry(comm: "mpv", rules: ["mpv"], classID: 2, boostWithheld: true),
            CommEntry(comm: "baloo_file_extr", rules: ["baloo_file_extractor"], classID: 3, boostWithheld: false),
            CommEntry(comm: "make", rules: ["make"], classID: 4, boostWithheld: false),
            CommEntry(comm: "compositor", rules: ["compositor"], classID: 9, boostWithheld: true),
            CommEntry(comm: "pinned-tool", rules: ["pinned-tool"], classID: 10, boostWithheld: false),
            CommEntry(comm: "oomy", rules: ["oomy"], classID: 11, boostWithheld: false),
        ])
        // exe-pinned rules never enter the comm map: renaming yourself "pipewire" earns nothing
        #expect(!policy.comm.contains { $0.comm.hasPrefix("pipewire") })
        #expect(policy.rulesInEffect == 11)
        #expect(policy.rulesLoaded == 10)
    }

    @Test func exePinsResolveToKernelDeviceAndInode() throws {
        let (policy, _) = try compile()
        // the boost of the name-only rule mpv goes to the system's mpv file, and nowhere else
        #expect(policy.exe == [
            ExeEntry(path: "/usr/bin/pipewire", rule: "pipewire", device: (8 << 20) | 3, inode: 4242, classID: 5),
            ExeEntry(path: "/usr/bin/pipewire-pulse", rule: "pipewire-pulse", device: (8 << 20) | 3, inode: 4243, classID: 5),
            ExeEntry(path: "/usr/bin/mpv", rule: "mpv", device: (8 << 20) | 3, inode: 5151, classID: 1, vouchedName: true),
        ])
        #expect(policy.unresolvedExe == [UnresolvedExe(rule: "missing", path: "/opt/nowhere/missing")])
        #expect(policy.exe[0].abiKey.dev == 8 << 20 | 3 && policy.exe[0].abiKey.ino == 4242)
    }

    @Test func perProcessRulesAndProposedRules() throws {
        let (policy, _) = try compile()
        #expect(policy.perProcessRules == ["python3", "some-long-daemon-name-a"])
        #expect(!policy.comm.contains { $0.comm == "steam" })
        let (withProposed, _) = try compile(includeProposed: true)
        #expect(withProposed.comm.contains { $0.comm == "steam" && withProposed.classes[Int($0.classID)].label == "Launcher" })
        #expect(!withProposed.comm.contains { $0.comm == "ghost" })
    }

    @Test func resolverPinsOnlyWhatTheKernelCannotMatchAndWithholdsUnvouchedBoosts() throws {
        let (policy, resolver) = try compile()
        let backup = ProcessFacts(comm: "python3", argv: ["/usr/bin/python3", "backup.py"], exe: "/usr/bin/python3.11",
                                  cgroup: nil, exeFile: Self.python)
        #expect(resolver.mayMatch(comm: "python3", argv0: "/usr/bin/python3", exe: "/usr/bin/python3.11"))
        let id = try #require(resolver.classID(for: backup))
        #expect(policy.classes[Int(id)].label == "BG_CPU")
        var other = backup
        other.argv = ["/usr/bin/python3", "server.py"]
        #expect(resolver.classID(for: other) == nil)
        // a full-name-only rule whose executable is not root-owned still gets its (non-boosting) class
        let daemon = ProcessFacts(comm: "some-long-daem", argv: ["/opt/x/some-long-daemon-name-a"],
                                  exe: "/opt/x/some-long-daemon-name-a", cgroup: nil,
                                  exeFile: FileIdentity(device: 0x0803, inode: 77, ownerUID: 1000, mode: 0o100775))
        #expect(resolver.classID(for: daemon).map { policy.classes[Int($0)].label } == "Service")
        #expect(!resolver.mayMatch(comm: "bash", argv0: "/bin/bash", exe: "/usr/bin/bash"))
    }

    /// The kernel's side of issue 12's attacks 1 and 3, on this machine's real files: the boost of
    /// a name rule goes only to the system's file of that name (what the user-space matcher
    /// accepts too), never to an interpreter, and an interpreter pin is no exe entry.
    @Test func onTheRealFileSystemOnlyTheSystemsOwnFileCarriesANameRulesBoost() throws {
        let catalog = try CatalogParser.load("""
            schema: schedcat.catalog/v1
            rules:
              - { name: sleep, type: LowLatency_RT }
              - { name: bash, type: LowLatency_RT }
              - { name: renamed-py, exe: /usr/bin/python3.11, type: LowLatency_RT }
              - { name: not-installed-anywhere, type: LowLatency_RT }
            """, file: "real.yaml")
        let (policy, resolver) = PolicyCompiler.compile(catalog, options: CompileOptions(topology: .uniform([0, 1])))
        let sleep = try #require(FileIdentity.of("/usr/bin/sleep"))
        #expect(policy.exe.map(\.rule) == ["sleep"], "\(policy.exe)")
        #expect(policy.exe.first.map { $0.inode == sleep.inode && $0.device == sleep.kernelDevice && $0.vouchedName } == true)
        #expect(policy.comm.map(\.comm) == ["sleep", "bash", "not-installed-a"])
        #expect(policy.comm.allSatisfy { $0.boostWithheld && policy.classes[Int($0.classID)].label.hasSuffix("(unvouched)") })
        #expect(policy.perProcessRules == ["renamed-py"])
        // the per-process pin of a renamed python never carries the boost either
        let python = try #require(FileIdentity.of("/usr/bin/python3.11"))
        let renamed = ProcessFacts(comm: "renamed-py", argv: ["/usr/bin/python3.11", "-c", "..."], exe: "/usr/bin/python3.11",
                                   exeFile: python)
        let id = try #require(resolver.classID(for: renamed))
        #expect(policy.classes[Int(id)].label == "LowLatency_RT (unvouched)")
    }

    @Test func collisionsAreReportedAndTheFirstRuleKept() {
        let game = CatalogType(name: "Game", values: SchedValues(nice: -5))
        let idle = CatalogType(name: "Idle", values: SchedValues(nice: 19, sched: .idle))
        let catalog = Catalog(types: [game, idle], rules: [
            Rule(identity: RuleIdentity(name: "VeryLongProcessNameOne"), type: "Game"),
            Rule(identity: RuleIdentity(name: "VeryLongProcessNameTwo"), type: "Idle"),
            Rule(identity: RuleIdentity(name: "VeryLongProcessNameThree"), type: "Game"),
            Rule(identity: RuleIdentity(name: "pager", exe: "/usr/bin/pager"), type: "Idle"),
            Rule(identity: RuleIdentity(name: "less", exe: "/usr/bin/less"), type: "Game"),
        ])
        let same = FileIdentity(device: 0x0801, inode: 7, ownerUID: 0, mode: 0o100755)
        let trust = ExecutableTrust(pins: ["/usr/bin/pager": same, "/usr/bin/less": same], vouching: [:])
        let (policy, _) = PolicyCompiler.compile(catalog, options: CompileOptions(topology: .uniform([0, 1]), trust: trust))
        #expect(policy.comm.count == 1)
        #expect(policy.comm[0].comm == "VeryLongProcess")
        #expect(policy.comm[0].rules == ["VeryLongProcessNameOne", "VeryLongProcessNameThree"])
        #expect(policy.collisions.map(\.kind) == [.comm, .exe])
        #expect(policy.collisions[0].kept == "VeryLongProcessNameOne" && policy.collisions[0].dropped == ["VeryLongProcessNameTwo"])
        #expect(policy.collisions[0].message.contains("truncates to the kernel comm 'VeryLongProcess'"))
        #expect(policy.collisions[1].kept == "pager" && policy.collisions[1].dropped == ["less"])
        #expect(policy.exe.count == 1)
    }

    @Test func abiEncoding() throws {
        let (policy, _) = try compile()
        let snappy = policy.classes[8].abi
        #expect(snappy.weight == 1991 && snappy.slice_ns == 750_000 && snappy.nice == -3 && snappy.latency_nice == -10)
        #expect(snappy.flags == UInt32(SC_CLASS_CPUMASK))
        #expect(snappy.cpumask.0 == 0b1111 && snappy.cpumask.1 == 0)
        #expect(policy.classes[3].abi.flags == UInt32(SC_CLASS_IDLE))
        #expect(policy.classes[11].abi.flags == UInt32(SC_CLASS_INHERIT_WEIGHT))
        let key = policy.comm[1].abiKey
        let bytes = withUnsafeBytes(of: key.comm) { Array($0) }
        #expect(bytes == Array("baloo_file_extr".utf8) + [0])
        let value = policy.comm[0].abiValue
        #expect(value.class_id == 2 && value.flags == UInt32(SC_MATCH_BOOST_WITHHELD))
        #expect(MemoryLayout<sc_match>.size == 16 && MemoryLayout<sc_class>.size == 56 && MemoryLayout<sc_comm_key>.size == 16)
    }

    /// The exe map value carries the rule's name, which scx_catalog compares with the process's
    /// leader comm and the name of the file it runs (FNV-1a 64, the published test vectors).
    @Test func exeEntriesCarryTheRuleName() throws {
        let catalog = try CatalogParser.load("""
            schema: schedcat.catalog/v1
            rules:
              - { name: game, type: Game, exe: /opt/game/bin/game-x86_64 }
              - { name: VeryLongProcessNameOne, type: Game, exe: /opt/long }
            """, file: "a.yaml")
        let trust = ExecutableTrust(pins: [
            "/opt/game/bin/game-x86_64": FileIdentity(device: 0x0801, inode: 7, ownerUID: 0, mode: 0o100755),
            "/opt/long": FileIdentity(device: 0x0801, inode: 8, ownerUID: 0, mode: 0o100755),
        ], vouching: [:])
        let (policy, _) = PolicyCompiler.compile(catalog, options: CompileOptions(topology: .uniform([0, 1]), trust: trust))
        let short = policy.exe[0].abiValue, long = policy.exe[1].abiValue
        #expect(withUnsafeBytes(of: short.comm) { Array($0) } == Array("game".utf8) + [UInt8](repeating: 0, count: 12))
        #expect(short.name_len == 4 && short.name_hash == exeNameHash("game") && short.name_flags == 0)
        #expect(short.match.class_id == policy.exe[0].classID)
        #expect(withUnsafeBytes(of: long.comm) { Array($0) } == Array("VeryLongProcess".utf8) + [0])
        #expect(long.name_len == 22 && long.name_flags == UInt32(SC_EXE_NAME_TRUNCATED))
        #expect(exeNameHash("") == 0xcbf29ce484222325 && exeNameHash("a") == 0xaf63dc4c8601ec8c
            && exeNameHash("foobar") == 0x85944171f73967e8)
        #expect(MemoryLayout<sc_exe_match>.size == 48)
    }

    @Test func aReloadKeepsTheIdsOfUnchangedClasses() throws {
        let first = try CatalogParser.load("""
            schema: schedcat.catalog/v1
            rules:
              - { name: make, type: Heavy_CPU }
              - { name: baloo_file_extractor, type: BG_CPUIO }
            """, file: "a.yaml")
        let second = try CatalogParser.load("""
            schema: schedcat.catalog/v1
            rules:
              - { name: mpv, type: Player-Video }
              - { name: baloo_file_extractor, type: BG_CPUIO }
            """, file: "b.yaml")
        let (old, _) = PolicyCompiler.compile(first, options: CompileOptions(topology: Self.topology))
        let (new, _) = PolicyCompiler.compile(second, options: CompileOptions(topology: Self.topology, previousClasses: old.classes))
        #expect(old.classes.map(\.label) == ["default", "Heavy_CPU", "BG_CPUIO"])
        #expect(new.classes.map(\.label) == ["default", "retired", "BG_CPUIO", "Player-Video", "Player-Video (unvouched)"])
        #expect(new.comm.first { $0.comm == "baloo_file_extr" }?.classID == 2)
        #expect(new.classes.enumerated().allSatisfy { UInt32($0.offset) == $0.element.id })
    }

    @Test func weightsAndSlices() {
        #expect(NiceWeights.weight(nice: 0) == 1024 && NiceWeights.weight(nice: -20) == 88761 && NiceWeights.weight(nice: 19) == 15)
        #expect(SliceTable.sliceNs(latencyNice: nil, batch: false) == 3_000_000)
        #expect(SliceTable.sliceNs(latencyNice: 5, batch: false) == 6_000_000)
        #expect(SliceTable.sliceNs(latencyNice: -20, batch: false) == 500_000)
        #expect(SliceTable.sliceNs(latencyNice: 19, batch: true) == 24_000_000)
    }
}
