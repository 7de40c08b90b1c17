// SPDX-License-Identifier: Apache-2.0
import Foundation
import TestSupport
import Testing

/// The scheduler's BPF object for tests: $SCHEDCAT_BPF_OBJECT, else .build-bpf/ in the package,
/// built by scripts/build-bpf (which fetches the sched_ext kernel's BTF) when it is missing.
/// In CI (CI=true) a missing object or a kernel that refuses BPF is a failure, never a skip.
enum TestBPFObject {
    static let packageRoot = Schedcat.packageRoot
    static var inCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    static let path: String? = {
        if let explicit = ProcessInfo.processInfo.environment["SCHEDCAT_BPF_OBJECT"] { return explicit }
        let built = packageRoot + "/.build-bpf/scx_catalog.bpf.o"
        if !FileManager.default.fileExists(atPath: built) {
            _ = run(packageRoot + "/scripts/vm/fetch-kernel") && run(packageRoot + "/scripts/build-bpf")
        }
        return FileManager.default.fileExists(atPath: built) ? built : nil
    }()

    /// The object, or nil (recorded as an issue in CI) when it cannot be had or BPF is not permitted.
    static func available() -> String? {
        guard let path else {
            if inCI { Issue.record("CI=true but the BPF object could not be built (scripts/build-bpf)") }
            return nil
        }
        guard geteuid() == 0 else {
            if inCI { Issue.record("CI=true but the tests do not run as root: cannot load BPF maps") }
            return nil
        }
        return path
    }

    private static func run(_ script: String) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: script)
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus == 0
        } catch {
            return false
        }
    }

    static let ananicyRules = Schedcat.ananicyRules
}
