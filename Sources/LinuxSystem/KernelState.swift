// SPDX-License-Identifier: Apache-2.0
#if canImport(Glibc)
import Glibc
#endif

/// What this kernel says about itself: its release and the sched_ext state in sysfs.
public enum KernelState {
    /// The kernel release (`uname -r`).
    public static var release: String {
        var names = utsname()
        uname(&names)
        return withUnsafeBytes(of: names.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
}

/// /sys/kernel/sched_ext as this kernel (or a fixture tree under `sysRoot`) shows it.
public struct SchedExtSysfs: Sendable {
    public var root: String

    public init(sysRoot: String = "/sys") {
        root = sysRoot + "/kernel/sched_ext"
    }

    /// The kernel has sched_ext at all.
    public var available: Bool { access(root + "/state", F_OK) == 0 }

    /// "enabled", "disabled", "enabling", "disabling", or nil without sched_ext.
    public var state: String? { firstLine(root + "/state") }

    /// The attached scheduler's ops name, when one is attached.
    public var opsName: String? { firstLine(root + "/root/ops") }

    private func firstLine(_ path: String) -> String? {
        guard let bytes = try? PolicyFileReader.read(path, trusted: false, symlinks: .follow, limit: 4096) else { return nil }
        let line = String(decoding: bytes.prefix { $0 != 10 }, as: UTF8.self).trimmingSpaces
        return line.isEmpty ? nil : line
    }
}

extension String {
    var trimmingSpaces: String {
        var slice = Substring(self)
        while slice.first?.isWhitespace == true { slice = slice.dropFirst() }
        while slice.last?.isWhitespace == true { slice = slice.dropLast() }
        return String(slice)
    }
}
