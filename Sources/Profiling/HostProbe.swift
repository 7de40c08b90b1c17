// SPDX-License-Identifier: Apache-2.0
import Foundation
import LinuxSystem
import ProcFS

extension HostInfo {
    /// This machine: kernel release from uname, online CPUs, sched_ext state from `sysRoot`.
    public static func current(procRoot: String = "/proc", sysRoot: String = "/sys") -> HostInfo {
        let (state, ops) = schedExt(sysRoot: sysRoot)
        return HostInfo(kernel: KernelState.release, cpus: max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))), schedExt: state, schedExtOps: ops,
                        bootID: firstLine(procRoot + "/sys/kernel/random/boot_id"))
    }

    /// `absent` without /sys/kernel/sched_ext; `enabled` when its state file says so (and the
    /// loaded scheduler's name), `disabled` otherwise (including "enabling"/"disabling").
    public static func schedExt(sysRoot: String = "/sys") -> (SchedExtState, ops: String?) {
        let sysfs = SchedExtSysfs(sysRoot: sysRoot)
        guard sysfs.available else { return (.absent, nil) }
        guard sysfs.state == "enabled" else { return (.disabled, nil) }
        return (.enabled, sysfs.opsName)
    }

    private static func firstLine(_ path: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        return line.isEmpty ? nil : line
    }
}
