// SPDX-License-Identifier: Apache-2.0
import Foundation
import TestSupport
import ProcFS
import Profiling
import Testing

/// Paths and helpers shared by the profiling tests.
enum TestSupport {
    static let packageRoot = Schedcat.packageRoot

    static func fixture(_ name: String) -> String { Schedcat.fixture(name) }

    /// The build products directory (this test binary's), where `schedcat` and `TestSpinner` are.
    static let productsDirectory: String = {
        let me = ProcFS().exe(getpid()) ?? CommandLine.arguments[0]
        var url = URL(fileURLWithPath: me).deletingLastPathComponent()
        // Inside an .xctest bundle on some platforms; the products are next to the bundle.
        while url.path.contains(".xctest") { url = url.deletingLastPathComponent() }
        return url.path
    }()

    static func product(_ name: String) throws -> String {
        let path = productsDirectory + "/" + name
        try #require(FileManager.default.isExecutableFile(atPath: path), "\(path) is not built (swift build --build-tests builds it)")
        return path
    }

    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "schedcat-profiling-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static let fixedHost = HostInfo(kernel: "6.18.44", cpus: 2, schedExt: .absent, bootID: "fixture", clockTicksPerSecond: 100)
}

/// A running TestSpinner child: renamed, spinning, killed when the test is done with it.
final class Spinner {
    let process = Process()
    let path: String
    let name: String
    let arguments: [String]
    private let output = Pipe()

    init(name: String, threads: Int, seconds: Double) throws {
        path = try TestSupport.product("TestSpinner")
        self.name = name
        arguments = [name, String(threads), String(seconds)]
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardOutput = output
        try process.run()
        let line = output.fileHandleForReading.readData(ofLength: 6)
        try #require(String(decoding: line, as: UTF8.self) == "ready\n", "TestSpinner did not start")
    }

    var pid: Int32 { process.processIdentifier }

    func waitForExit() { process.waitUntilExit() }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}
