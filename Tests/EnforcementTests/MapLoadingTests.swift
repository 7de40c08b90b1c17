// SPDX-License-Identifier: Apache-2.0
import Catalog
import Compile
import Enforcement
import Foundation
import SchedcatABI
import Testing

/// Loads the maps of the real scheduler object into the host kernel (programs and the
/// struct_ops map stay out: this kernel may have no sched_ext) and writes compiled policies.
@Suite(.serialized) struct MapLoadingTests {
    func loadMaps() throws -> (BPFObject, SchedulerMaps)? {
        guard let path = TestBPFObject.available() else { return nil }
        let object = try BPFObject(path: path)
        #expect(object.programNames.contains("sc_enqueue") && object.programNames.contains("sc_dispatch"))
        object.disableProgramsAndStructOps()
        try object.load()
        return (object, try SchedulerMaps(object))
    }

    static let catalogV1 = """
    schema: schedcat.catalog/v1
    rules:
      - { name: mpv, type: Player-Video }
      - { name: make, type: Heavy_CPU }
      - { name: baloo_file_extractor, type: BG_CPUIO }
      - { name: cc1, type: Heavy_CPU }
    """

    static let catalogV2 = """
    schema: schedcat.catalog/v1
    rules:
      - { name: mpv, type: Player-Video }
      - { name: make, type: BG_CPUIO }
      - { name: rustc, type: Heavy_CPU }
    """

    func compile(_ yaml: String) throws -> CompiledPolicy {
        let catalog = try CatalogParser.load(yaml, file: "t.yaml")
        return PolicyCompiler.compile(catalog, options: CompileOptions(topology: .uniform([0, 1]))).0
    }

    func value(_ maps: SchedulerMaps, comm: String) -> sc_match? {
        maps.comm.lookup(commKey(comm), as: sc_match.self)
    }

    @Test func mapsHaveTheABILayoutAndCapacity() throws {
        guard let (_, maps) = try loadMaps() else { return }
        #expect(maps.comm.maxEntries >= 65_536 && maps.exe.maxEntries >= 65_536 && maps.tgid.maxEntries >= 65_536)
        #expect(maps.comm.keySize == MemoryLayout<sc_comm_key>.size && maps.comm.valueSize == MemoryLayout<sc_match>.size)
        #expect(maps.exe.keySize == MemoryLayout<sc_exe_key>.size && maps.exe.valueSize == MemoryLayout<sc_exe_match>.size)
        #expect(maps.tgid.keySize == 4 && maps.tgid.valueSize == MemoryLayout<sc_match>.size)
        #expect(maps.classes.valueSize == MemoryLayout<sc_class>.size && maps.classes.maxEntries == Int(SC_MAX_CLASSES))
        #expect(maps.classStats.valueSize == MemoryLayout<sc_class_stats>.size && maps.classStats.perCPU)
        #expect(maps.config.valueSize == MemoryLayout<sc_config>.size)
        #expect(maps.exitInfo.valueSize == MemoryLayout<sc_exit_info>.size)
    }

    @Test func fillThenReloadWritesOnlyTheDifference() throws {
        guard let (_, maps) = try loadMaps() else { return }
        let v1 = try compile(Self.catalogV1), v2 = try compile(Self.catalogV2)
        let first = MapImage(v1)
        let written = try maps.write(first, replacing: nil)
        #expect(written.upserts == 4 && written.classesWritten == v1.classes.count)
        #expect(maps.comm.keys().count == 4)
        let mpv = try #require(value(maps, comm: "mpv"))
        #expect(v1.classes[Int(mpv.class_id)].label == "Player-Video (unvouched)" && mpv.flags == UInt32(SC_MATCH_BOOST_WITHHELD))
        #expect(v1.classes[Int(mpv.class_id)].weight == 1024)
        #expect(value(maps, comm: "baloo_file_extr") != nil)
        let heavy = try #require(maps.classes.lookup(UInt32(value(maps, comm: "make")!.class_id), as: sc_class.self))
        #expect(heavy.weight == 137 && heavy.slice_ns == 3_000_000)

        let diff = try maps.write(MapImage(v2), replacing: first)
        // rustc is new; baloo and cc1 go; mpv stays; make keeps class id 3, whose content
        // changes from Heavy_CPU to BG_CPUIO in the class array
        #expect(diff.upserts == 1 && diff.deletes == 2)
        #expect(diff.classesWritten == 2)
        #expect(value(maps, comm: "cc1") == nil && value(maps, comm: "baloo_file_extr") == nil)
        let make = try #require(value(maps, comm: "make"))
        #expect(v2.classes[Int(make.class_id)].label == "BG_CPUIO")
        let idle = try #require(maps.classes.lookup(make.class_id, as: sc_class.self))
        #expect(idle.flags & UInt32(SC_CLASS_IDLE) != 0 && idle.weight == 29)
        #expect(maps.comm.keys().count == 3)
    }

    @Test func configurationAndTgidPins() throws {
        guard let (_, maps) = try loadMaps() else { return }
        try maps.setConfiguration(sc_config(generation: 7, idle_max_wait_ns: 100_000_000, nr_classes: 3, pad: 0))
        #expect(maps.configuration().generation == 7)
        try maps.tgid.update(UInt32(4242), tgidMatch(classID: 2, startTicks: 12345))
        let pinned = try #require(maps.tgid.lookup(UInt32(4242), as: sc_match.self))
        #expect(pinned.class_id == 2 && pinned.start_ticks == 12345)
        #expect(maps.exit() == nil)
        #expect(maps.classCounters(count: 3).allSatisfy { $0 == ClassCounters() })
    }

    @Test func theCachyOSCatalogFitsAndLoads() throws {
        // the tree comes with the repository: a missing one is a failure, not a skip
        let rules = TestBPFObject.ananicyRules
        try #require(FileManager.default.fileExists(atPath: rules + "/00-types.types"),
                     "no CachyOS ananicy-rules tree at \(rules) (data/cachyos-ananicy-rules or $SCHEDCAT_ANANICY_RULES)")
        guard let (_, maps) = try loadMaps() else { return }
        let catalog = try AnanicyImporter.importTree(rules).catalog
        let (policy, _) = PolicyCompiler.compile(catalog, options: CompileOptions(topology: .uniform([0, 1])))
        #expect(policy.rulesLoaded >= 15_700)
        let diff = try maps.write(MapImage(policy), replacing: nil)
        #expect(diff.upserts == policy.comm.count + policy.exe.count)
        #expect(maps.comm.keys().count == policy.comm.count)
    }
}
