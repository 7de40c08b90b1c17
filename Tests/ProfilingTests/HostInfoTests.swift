// SPDX-License-Identifier: Apache-2.0
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

    /// Counts the CPUs in /sys/devices/system/cpu/online ("0-1,4").
    func onlineCPUs() throws -> Int {
        let list = try String(contentsOfFile: "/sys/devices/system/cpu/online", encoding: .utf8)
        return try list.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",").reduce(0) { count, range in
            let bounds = try range.split(separator: "-").map { try #require(Int($0)) }
            return count + (bounds.count == 2 ? bounds[1] - bounds[0] + 1 : 1)
        }
    }

    @Test func thisMachine() throws {
        let host = HostInfo.current()
        let release = try String(contentsOfFile: "/proc/sys/kernel/osrelease", encoding: .utf8)
        #expect(host.kernel + "\n" == release)
        #expect(host.cpus == (try onlineCPUs()))
        let hasSchedExt = FileManager.default.fileExists(atPath: "/sys/kernel/sched_ext")
        #expect((host.schedExt == .absent) == !hasSchedExt)
        #expect(host.bootID?.count == 36)
        #expect(host.clockTicksPerSecond == 100)
    }
}
