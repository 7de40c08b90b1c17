// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Processes a test starts beside itself (stdout discarded) and kills when it is done.
public final class ChildProcesses: @unchecked Sendable {
    public private(set) var all: [Process] = []

    public init() {}

    @discardableResult
    public func start(_ path: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        all.append(process)
        return process.processIdentifier
    }

    /// SIGKILL: children of the test runner start with SIGTERM ignored.
    public func killAll() {
        for child in all where child.isRunning { kill(child.processIdentifier, SIGKILL) }
    }
}
