// SPDX-License-Identifier: Apache-2.0
import LinuxSystem
import Compile
import Foundation
import Testing

@Suite struct TopologyTests {
    func sysfs(_ files: [String: String]) throws -> String {
        let root = NSTemporaryDirectory() + "schedcat-sysfs-" + UUID().uuidString
        for (path, text) in files {
            let full = root + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: true, encoding: .utf8)
        }
        return root
    }

    @Test func hybridPMUListsWin() throws {
        let root = try sysfs(["devices/system/cpu/online": "0-11\n", "devices/cpu_core/cpus": "0-3\n", "devices/cpu_atom/cpus": "4-11\n"])
        let topology = CPUTopology.read(sysfs: root)
        #expect(topology.performance == [0, 1, 2, 3] && topology.efficiency == Array(4...11) && topology.source == "cpu_core/cpu_atom")
    }

    @Test func capacityThenFrequency() throws {
        var files = ["devices/system/cpu/online": "0-3"]
        for cpu in 0...3 { files["devices/system/cpu/cpu\(cpu)/cpu_capacity"] = cpu < 2 ? "1024" : "446" }
        let topology = CPUTopology.read(sysfs: try sysfs(files))
        #expect(topology.performance == [0, 1] && topology.efficiency == [2, 3] && topology.source == "cpu_capacity")
        var uniform = ["devices/system/cpu/online": "0-1"]
        for cpu in 0...1 { uniform["devices/system/cpu/cpu\(cpu)/cpufreq/cpuinfo_max_freq"] = "3000000" }
        let flat = CPUTopology.read(sysfs: try sysfs(uniform))
        #expect(flat.performance == [0, 1] && flat.efficiency == [0, 1] && flat.source == "uniform")
    }

    @Test func cpuLists() {
        #expect(CPUList.cpus("0-3,8,10-11\n") == [0, 1, 2, 3, 8, 10, 11])
        #expect(CPUList.cpus("3-1") == nil)
    }
}
