// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A process running beside a test, its stdout collected line by line.
public final class BackgroundProcess: @unchecked Sendable {
    private let process = Process()
    private let lock = NSLock()
    private var buffer = Data()
    private var collected: [String] = []

    public init(_ path: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        out.fileHandleForReading.readabilityHandler = { [weak self] handle in
            self?.append(handle.availableData)
        }
        try process.run()
    }

    public var pid: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }

    public var lines: [String] {
        lock.lock()
        defer { lock.unlock() }
        return collected
    }

    /// The first line after `skip` lines that satisfies `predicate`, waiting up to `timeout` seconds.
    public func line(after skip: Int = 0, timeout: Double, where predicate: (String) -> Bool) async -> (index: Int, line: String)? {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            let current = lines
            if let index = current.indices.dropFirst(skip).first(where: { predicate(current[$0]) }) {
                return (index, current[index])
            }
            try? await Task.sleep(nanoseconds: 100_000_000)
        } while Date() < deadline
        return nil
    }

    /// SIGKILL: the test runner starts children with SIGTERM ignored, so `sleep` would outlive it.
    public func terminate() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    private func append(_ data: Data) {
        lock.lock()
        defer { lock.unlock() }
        buffer.append(data)
        while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
            collected.append(String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self))
            buffer.removeSubrange(buffer.startIndex...newline)
        }
    }
}
