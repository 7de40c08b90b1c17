// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The unprivileged second user of the trust-boundary tests: uid/gid 65534 with no groups,
/// optionally inside its own user + mount namespace. Attacks run for real, never mocked.
public enum Attacker {
    public static let uid: UInt32 = 65534

    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String
    }

    /// Whether this machine can run the attacks (root, setpriv, unshare). In CI (`CI=true`) a
    /// machine that cannot is an error, so a defence test fails there instead of skipping.
    public static var available: Bool {
        let ok = geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare")
        return ok || ProcessInfo.processInfo.environment["CI"] == "true"
    }

    /// Throws when the attack cannot be performed (then the test fails: `available` is true in CI).
    public static func require() throws {
        guard geteuid() == 0 else { throw Unavailable(description: "the attacks need root to switch to uid \(uid)") }
        for tool in ["/usr/bin/setpriv", "/usr/bin/unshare"] where !FileManager.default.isExecutableFile(atPath: tool) {
            throw Unavailable(description: "\(tool) is missing")
        }
    }

    static func argv(_ script: String, namespace: Bool) -> [String] {
        var argv = ["--reuid=\(uid)", "--regid=\(uid)", "--clear-groups", "--"]
        if namespace { argv += ["/usr/bin/unshare", "-Urm", "--"] }
        return argv + ["/bin/sh", "-c", script]
    }

    /// Runs `script` (sh -c) as the second user to completion; `namespace`: inside a new user +
    /// mount namespace where it is "root" over its own mounts.
    public static func run(_ script: String, namespace: Bool = false) throws -> Schedcat.Output {
        try require()
        return try runCommand("/usr/bin/setpriv", argv(script, namespace: namespace))
    }

    /// Starts `script` as the second user in the background (SIGKILLed by `terminate()`).
    public static func start(_ script: String, namespace: Bool = false) throws -> BackgroundProcess {
        try require()
        return try BackgroundProcess("/usr/bin/setpriv", argv(script, namespace: namespace))
    }

    /// A directory the second user owns (mode 0755) inside a fresh root-owned temporary directory.
    public static func ownedDirectory() throws -> String {
        let root = try Schedcat.temporaryDirectory()
        chmod(root, 0o755)
        let path = root + "/attacker"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        chown(path, uid, uid)
        return path
    }

    /// A sticky, world-writable directory like /tmp, owned by root.
    public static func stickyDirectory() throws -> String {
        let path = try Schedcat.temporaryDirectory()
        chmod(path, 0o1777)
        return path
    }

    /// The pid of the newest process of the second user whose comm is `comm` and that is `root`
    /// or descends from it (the attack's own process, not another test's), waiting up to 5 s.
    public static func pid(comm: String, under root: Int32? = nil, timeout: Double = 5) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc"))?.compactMap(Int32.init) ?? []
            for pid in pids.sorted(by: >) {
                guard let name = try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8),
                      name.dropLast() == comm[...] else { continue }
                var info = stat()
                guard stat("/proc/\(pid)", &info) == 0 && info.st_uid == uid else { continue }
                if let root, !descends(pid, from: root) { continue }
                return pid
            }
            usleep(50_000)
        } while Date() < deadline
        return nil
    }

    static func descends(_ pid: Int32, from root: Int32) -> Bool {
        var current = pid
        for _ in 0..<64 {
            if current == root { return true }
            guard current > 1, let stat = try? String(contentsOfFile: "/proc/\(current)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 1, let parent = Int32(fields[1]) else { return false }
            current = parent
        }
        return false
    }
}
