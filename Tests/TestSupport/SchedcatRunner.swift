// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Runs the built `schedcat` executable, which sits beside the test bundle.
public enum Schedcat {
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    public static var binary: String {
        let bundle = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).deletingLastPathComponent()
        return bundle.appendingPathComponent("schedcat").path
    }

    public static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Output {
        try runCommand(binary, arguments, environment: environment)
    }

    public static func fixture(_ name: String) -> String { packageRoot + "/Tests/Fixtures/" + name }

    /// The real CachyOS ananicy-rules tree: $SCHEDCAT_ANANICY_RULES when set, else the pinned copy
    /// shipped with the repository (data/cachyos-ananicy-rules, GPL-3.0 test data; see its PROVENANCE.md).
    public static let ananicyRules: String = {
        if let path = ProcessInfo.processInfo.environment["SCHEDCAT_ANANICY_RULES"], !path.isEmpty { return path }
        return packageRoot + "/data/cachyos-ananicy-rules"
    }()

    public static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "schedcat-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

/// Runs any program to completion, capturing its output.
public func runCommand(_ path: String, _ arguments: [String], environment: [String: String] = [:]) throws -> Schedcat.Output {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Schedcat.Output(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                           stderr: String(decoding: stderr, as: UTF8.self))
}

extension Schedcat.Output {
    /// stdout parsed as JSON.
    public func json<T>(as type: T.Type = [String: Any].self) -> T? {
        (try? JSONSerialization.jsonObject(with: Data(stdout.utf8))) as? T
    }
}

/// Runs a helper program synchronously with stdin, stdout and stderr on /dev/null (so a daemon
/// it starts, like the tmux server or llama-server, holds none of the test's pipes); returns its
/// exit status. `environment` is added to this process's.
@discardableResult
public func runQuietly(_ path: String, _ arguments: [String], environment: [String: String] = [:]) -> Int32 {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    for fd in [Int32(0), 1, 2] {
        posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0)
    }
    let argv = ([path] + arguments).map { strdup($0) } + [nil]
    let merged = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
        argv.forEach { free($0) }
        envp.forEach { free($0) }
    }
    var pid: pid_t = 0
    guard posix_spawn(&pid, path, &actions, nil, argv, envp) == 0 else { return -1 }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    return (status >> 8) & 0xff
}
