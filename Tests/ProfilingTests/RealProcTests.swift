// SPDX-License-Identifier: Apache-2.0
import Foundation
import ProcFS
import Profiling
import Testing
import LinuxSystem

/// Snapshots of the real /proc with real child processes. Serialized: they measure CPU.
@Suite(.serialized) struct RealProcTests {
    func uniqueName(_ prefix: String) -> String {
        prefix + String(UInt32.random(in: 0..<100_000))  // ≤ 15 bytes: a comm is truncated beyond
    }

    @Test func aRenamedBusyMultithreadedChildIsFoundWithItsCommExeCmdlineCPUAndThreads() async throws {
        let spinner = try Spinner(name: uniqueName("sc-spin-"), threads: 3, seconds: 20)
        let snapshot = try await Sampler().snapshot(window: .seconds(2))
        #expect(snapshot.windowSeconds >= 2 && snapshot.windowSeconds < 3)
        let record = try #require(snapshot.processes.first { $0.pid == spinner.pid }, "spinner pid \(spinner.pid) not in the snapshot")
        #expect(record.comm == spinner.name)
        #expect(record.exe == spinner.path)
        #expect(record.cmdline == [spinner.path] + spinner.arguments)
        #expect(record.threads == 3)
        #expect((record.cpuPercent ?? 0) > 50, "cpu_percent \(String(describing: record.cpuPercent))")
        // The main thread spins; the other two nap 1 ms at a time: only the per-thread sum sees them.
        #expect((record.voluntarySwitchesPerSecond ?? 0) > 100, "\(String(describing: record.voluntarySwitchesPerSecond))")
        #expect(record.observed == .both)
        #expect(record.uid == geteuid())
        #expect(record.ppid == getpid())
        #expect(record.parentComm == ProcFS().stat(getpid())?.comm)
        #expect(record.kernelThread == false)
        let file = try #require(FileIdentity.of(spinner.path))
        #expect(record.exeIdentity == ExeIdentity(device: file.device, kernelDevice: file.kernelDevice, inode: file.inode,
                                                  ownerUID: file.ownerUID, mode: file.mode))
        // schedcat (here: this test process) never reports itself.
        #expect(!snapshot.processes.contains { $0.pid == getpid() })
        #expect(snapshot.problems().isEmpty)
    }

    @Test func aProcessThatExitsMidWindowIsReportedWithoutInventedRates() async throws {
        let spinner = try Spinner(name: uniqueName("sc-exit-"), threads: 1, seconds: 2)
        try await Task.sleep(for: .milliseconds(250))  // old enough for a lifetime share (>= 0.1 s)
        let sampler = Sampler()
        let first = sampler.read()
        try #require(first.pids.contains(spinner.pid), "read while it still runs")
        spinner.waitForExit()
        let second = sampler.read()
        #expect(!second.pids.contains(spinner.pid))
        let snapshot = sampler.snapshot(from: first, to: second, host: HostInfo.current(), takenAt: Date())
        let record = try #require(snapshot.processes.first { $0.pid == spinner.pid })
        #expect(record.observed == .firstOnly)
        #expect(record.comm == spinner.name)
        #expect(record.exe == spinner.path)
        #expect(record.cpuPercent == nil && record.voluntarySwitchesPerSecond == nil && record.readBytesPerSecond == nil)
        #expect((record.lifetimeCPUPercent ?? 0) > 10)
    }

    @Test func aProcessStartedMidWindowGetsItsTotalsOverTheWindow() async throws {
        let sampler = Sampler()
        let first = sampler.read()
        let spinner = try Spinner(name: uniqueName("sc-new-"), threads: 1, seconds: 20)
        try await Task.sleep(for: .seconds(1))
        let second = sampler.read()
        let snapshot = sampler.snapshot(from: first, to: second, host: HostInfo.current(), takenAt: Date())
        let record = try #require(snapshot.processes.first { $0.pid == spinner.pid })
        #expect(record.observed == .secondOnly)
        #expect(record.comm == spinner.name)
        // It spun for most of the window; the window is longer than its life, so less than its lifetime share.
        let cpu = try #require(record.cpuPercent)
        #expect(cpu > 20 && cpu <= (record.lifetimeCPUPercent ?? 0) + 1)
    }

    @Test func theWholeRealProcIsReadConsistently() async throws {
        let sampler = Sampler(options: SnapshotOptions(includeKernelThreads: true))
        let snapshot = try await sampler.snapshot(window: .milliseconds(300))
        #expect(snapshot.problems().isEmpty, "\(snapshot.problems())")
        let kthreadd = try #require(snapshot.processes.first { $0.pid == 2 })
        #expect(kthreadd.kernelThread && kthreadd.comm == "kthreadd" && kthreadd.exe == nil)
        #expect(snapshot.processes.filter(\.kernelThread).allSatisfy { $0.cmdline == [] })
        #expect(snapshot.processes.contains { !$0.kernelThread && $0.exe != nil && $0.exeIdentity != nil })
        // Every reported process is a real /proc entry and every rate is a number >= 0.
        let cpuCount = Double(HostInfo.current().cpus)
        for record in snapshot.processes where record.observed == .both {
            #expect((record.cpuPercent ?? 0) <= cpuCount * 100 + 50, "pid \(record.pid) cpu \(String(describing: record.cpuPercent))")
        }
        let defaults = try await Sampler().snapshot(window: .milliseconds(100))
        #expect(!defaults.processes.contains { $0.kernelThread })
        // JSON round trip.
        let decoded = try Snapshot.decode(snapshot.jsonData(), source: "memory")
        #expect(decoded == snapshot)
    }
}
