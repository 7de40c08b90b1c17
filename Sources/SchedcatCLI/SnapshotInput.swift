// SPDX-License-Identifier: Apache-2.0
import Advice
import ArgumentParser
import Foundation
import Profiling

/// `--from SNAPSHOT`, or a live profile of this machine.
struct SnapshotInput: ParsableArguments {
    @Option(name: .customLong("from"), help: "A snapshot file (schedcat.snapshot/v1) instead of a live profile.")
    var snapshotPath: String?
    @Option(help: "Seconds between the two reads of a live profile.") var window: Double = 3

    func processes() async throws -> [ProcessFeatures] {
        let snapshot: Snapshot
        if let snapshotPath {
            do {
                snapshot = try Snapshot.load(snapshotPath)
            } catch {
                printError("error: \(error.message)")
                throw error.kind == .invalid ? Exit.invalidInput : Exit.failure
            }
        } else {
            snapshot = try await Sampler().snapshot(window: .milliseconds(Int64(window * 1000)))
        }
        return snapshot.processes.map(ProcessFeatures.init)
    }
}
