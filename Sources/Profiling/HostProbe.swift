import Foundation
import ProcFS

extension HostInfo {
    /// This machine: kernel release from uname, online CPUs, sched_ext state from `sysRoot`.
    public static func current(procRoot: String = "/proc", sysRoot: String = "/sys") -> HostInfo {
        var names = utsname()
        uname(&names)
        let release = withUnsafeBytes(of: names.release) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        let (state, ops) = schedExt(sysRoot: sysRoot)
        return HostInfo(kernel: release, cpus: max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))), schedExt: state, schedExtOps: ops,
                        bootID: firstLine(procRoot + "/sys/kernel/random/boot_id"))
    }

    /// `absent` without /sys/kernel/sched_ext; `enabled` when its state file says so (and the
    /// loaded scheduler's name), `disabled` otherwise (including "enabling"/"disabling").
    public static func schedExt(sysRoot: String = "/sys") -> (SchedExtState, ops: String?) {
        let directory = sysRoot + "/kernel/sched_ext"
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            return (.absent, nil)
        }
        guard firstLine(directory + "/state") == "enabled" else { return (.disabled, nil) }
        return (.enabled, firstLine(directory + "/root/ops"))
    }

    private static func firstLine(_ path: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        return line.isEmpty ? nil : line
    }
}
