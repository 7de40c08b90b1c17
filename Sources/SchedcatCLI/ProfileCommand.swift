// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import Profiling

struct ProfileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Read /proc twice, a window apart, and report what every process did in between.",
        discussion: """
        Prints the busiest processes as a table, or the whole snapshot (schedcat.snapshot/v1) as JSON \
        with --json or --output. Kernel threads (unless asked for) and schedcat's own processes are left out.
        """)

    @Option(help: ArgumentHelp("Seconds between the two reads.", valueName: "seconds")) var window: Double = 3
    @Option(help: ArgumentHelp("Rows in the table (busiest by CPU first).", valueName: "n")) var top = 20
    @Option(name: .shortAndLong, help: ArgumentHelp("Write the JSON snapshot to this file (atomically).", valueName: "file"))
    var output: String?
    @Flag(help: "Replace --output if it exists.") var force = false
    @Flag(help: "Print the JSON snapshot instead of the table.") var json = false
    @Flag(help: "Also report kernel threads (flagged kernel_thread: true).") var includeKernelThreads = false
    @Option(name: .customLong("from"), help: ArgumentHelp("Show a saved snapshot instead of taking one.", valueName: "file"))
    var input: String?

    func validate() throws {
        guard window.isFinite && window > 0 && window <= 3600 else { throw ValidationError("--window must be between 0 and 3600 seconds") }
        guard top >= 1 else { throw ValidationError("--top must be at least 1") }
        if input != nil && output != nil { throw ValidationError("--from shows a saved snapshot; it cannot be combined with --output") }
    }

    func run() async throws {
        let snapshot: Snapshot
        do {
            if let input {
                snapshot = try Snapshot.load(input)
            } else {
                if let output, !force, FileManager.default.fileExists(atPath: output) {
                    throw SnapshotError.exists(output)
                }
                let sampler = Sampler(options: SnapshotOptions(includeKernelThreads: includeKernelThreads, packages: PackageDatabase()))
                var taken = try await sampler.snapshot(window: .seconds(window))
                taken.schedcatVersion = schedcatVersion
                snapshot = taken
            }
            if let output {
                try snapshot.write(to: output, overwrite: force)
            }
        } catch let error as SnapshotError {
            printError("error: \(error.message)")
            throw error.kind == .invalid ? Exit.invalidInput : Exit.failure
        }
        if json {
            FileHandle.standardOutput.write(try snapshot.jsonData())
        } else if let output {
            print("wrote \(output): \(snapshot.processes.count) processes over \(snapshot.windowSeconds) s")
        } else {
            print(ProfileTable.render(snapshot, top: top))
        }
    }
}

extension SnapshotError {
    static func exists(_ path: String) -> SnapshotError {
        SnapshotError(kind: .writeFailed, message: "\(path): already exists; pass --force to replace it")
    }
}
