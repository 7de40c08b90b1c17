import Foundation
import Profiling
import Testing

@Suite struct HostInfoTests {
    @Test func schedExtIsAbsentDisabledOrEnabledFromSys() throws {
        let sys = try TestSupport.temporaryDirectory()
        #expect(HostInfo.schedExt(sysRoot: sys) == (.absent, nil))
        let directory = sys + "/kernel/sched_ext"
        try FileManager.default.createDirectory(atPath: directory + "/root", withIntermediateDirectories: true)
        try "disabled\n".write(toFile: directory + "/state", atomically: true, encoding: .utf8)
        #expect(HostInfo.schedExt(sysRoot: sys) == (.disabled, nil))
        try "enabled\n".write(toFile: directory + "/state", atomically: true, encoding: .utf8)
        try "catalog\n".write(toFile: directory + "/root/ops", atomically: true, encoding: .utf8)
        #expect(HostInfo.schedExt(sysRoot: sys) == (.enabled, "catalog"))
    }

    @Test func thisMachine() throws {
        let host = HostInfo.current()
        let release = try String(contentsOfFile: "/proc/sys/kernel/osrelease", encoding: .utf8)
        #expect(host.kernel + "\n" == release)
        #expect(host.cpus == ProcessInfo.processInfo.activeProcessorCount)
        let hasSchedExt = FileManager.default.fileExists(atPath: "/sys/kernel/sched_ext")
        #expect((host.schedExt == .absent) == !hasSchedExt)
        #expect(host.bootID?.count == 36)
        #expect(host.clockTicksPerSecond == 100)
    }
}
