// SPDX-License-Identifier: Apache-2.0
import CLinuxSyscalls
import Foundation
import TestSupport
import Testing

/// The classic backend on the real kernel, as root: the settings are read back through syscalls.
@Suite(.serialized, .enabled(if: geteuid() == 0, "needs root to change other processes' priorities"))
struct ApplyTests {
    struct Knobs: Equatable {
        var nice: Int32
        var policy: Int32
        var ioprio: Int32
        var cpus: [Int]
    }

    static func knobs(_ tid: Int32) -> Knobs {
        errno = 0
        let nice = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(tid))
        var mask = [UInt64](repeating: 0, count: 16)
        let bytes = mask.withUnsafeMutableBufferPointer { schedcat_getaffinity(tid, $0.baseAddress, $0.count * 8) }
        let cpus = (0..<max(0, Int(bytes)) * 8).filter { mask[$0 / 64] & (1 << UInt64($0 % 64)) != 0 }
        return Knobs(nice: nice, policy: sched_getscheduler(tid), ioprio: schedcat_ioprio_get(tid), cpus: cpus)
    }

    static func threads(_ pid: Int32) -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []).compactMap { Int32($0) }
    }

    static let allCPUs = knobs(getpid()).cpus
    static let idle: Int32 = 5, other: Int32 = 0
    static let ioIdle: Int32 = 3 << 13, ioBestEffort6: Int32 = 2 << 13 | 6

    /// A catalog for the test's own process names, and copies of /bin/sleep and /bin/sh under those names.
    final class Workspace {
        let directory: String
        let catalog: String
        let children: ChildProcesses = ChildProcesses()

        init() throws {
            directory = try Schedcat.temporaryDirectory()
            catalog = directory + "/catalog.yaml"
            for name in ["sc-hog", "sc-child", "sc-plain", "sc-late"] {
                try FileManager.default.copyItem(atPath: Self.real("/bin/sleep"), toPath: "\(directory)/\(name)")
            }
            try FileManager.default.copyItem(atPath: Self.real("/bin/sh"), toPath: "\(directory)/sc-launcher")
            try write(threadsNice: 7)
        }

        static func real(_ path: String) -> String { URL(fileURLWithPath: path).resolvingSymlinksInPath().path }

        func write(threadsNice: Int) throws {
            try """
            schema: schedcat.catalog/v1
            types:
              Quiet: { nice: 5, description: "test type without sched" }
            rules:
              - { name: sc-hog, type: BG_CPUIO }
              - { name: sc-late, type: BG_CPUIO }
              - { name: sc-threads, nice: \(threadsNice), ioclass: best-effort, ionice: 6, cpus: "0" }
              - { name: sc-launcher, type: BG_CPUIO }
              - { name: sc-child, type: Quiet }
              - { name: sc-oom, type: OOM_KILL }

            """.write(toFile: catalog, atomically: true, encoding: .utf8)
        }

        @discardableResult
        func start(_ path: String, _ arguments: [String]) throws -> Int32 { try children.start(path, arguments) }

        /// A multi-threaded process that renames itself to `name` and then idles for a minute.
        func startThreaded(_ name: String, threads: Int) async throws -> Int32 {
            let spinner = URL(fileURLWithPath: Schedcat.binary).deletingLastPathComponent().appendingPathComponent("TestSpinner").path
            let pid = try start(spinner, [name, "\(threads)", "60", "idle"])
            _ = await ApplyTests.eventually(5) { ApplyTests.threads(pid).count == threads }
            return pid
        }

        /// SIGKILL: children of the test runner start with SIGTERM ignored.
        func stop() {
            children.killAll()
        }
    }

    static func pid(named name: String, parent: Int32? = nil) -> Int32? {
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), let comm = try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8),
                  comm.trimmingCharacters(in: .newlines) == name else { continue }
            if let parent, let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
               Int32(stat.split(separator: ")").last?.split(separator: " ")[1] ?? "") != parent { continue }
            return pid
        }
        return nil
    }

    static func eventually(_ seconds: Double, _ condition: () -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            try? await Task.sleep(nanoseconds: 50_000_000)
        }
        return condition()
    }

    @Test func applyOnceSetsEveryThreadAndLeavesTheRestAlone() async throws {
        let work = try Workspace()
        defer { work.stop() }
        let threaded = try await work.startThreaded("sc-threads", threads: 4)
        let hog = try work.start(work.directory + "/sc-hog", ["60"])
        let plain = try work.start(work.directory + "/sc-plain", ["60"])
        let oom = try await work.startThreaded("sc-oom", threads: 1)
        let plainBefore = Self.knobs(plain)

        let dry = try Schedcat.run(["apply", "--catalog", work.catalog, "--once", "--dry-run"])
        #expect(dry.status == 0 && dry.stdout.contains("would set pid \(hog) (sc-hog): nice 0 -> 16"), "\(dry.stdout)")
        #expect(Self.knobs(hog).nice == 0, "a dry run changes nothing")

        let result = try Schedcat.run(["apply", "--catalog", work.catalog, "--once", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let changes = result.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(changes.contains { $0["pid"] as? Int32 == threaded && $0["setting"] as? String == "nice" })

        let threads = Self.threads(threaded)
        #expect(threads.count == 4)
        for tid in threads {
            #expect(Self.knobs(tid) == Knobs(nice: 7, policy: Self.other, ioprio: Self.ioBestEffort6, cpus: [0]), "thread \(tid)")
        }
        #expect(Self.knobs(hog) == Knobs(nice: 16, policy: Self.idle, ioprio: Self.ioIdle, cpus: Self.allCPUs))
        #expect(Self.knobs(plain) == plainBefore, "an unmatched process is untouched")
        #expect((try? String(contentsOfFile: "/proc/\(oom)/oom_score_adj", encoding: .utf8))?.hasPrefix("1000") == true)

        let again = try Schedcat.run(["apply", "--catalog", work.catalog, "--once", "--json"])
        #expect(again.stdout.split(separator: "\n").filter { $0.contains("\"pid\":\(threaded)") || $0.contains("\"pid\":\(hog)") }.isEmpty,
                "a second pass finds nothing to change: \(again.stdout)")
    }

    @Test func runningApplyHandlesNewProcessesLaunchersAndCatalogEdits() async throws {
        let work = try Workspace()
        defer { work.stop() }
        let threaded = try await work.startThreaded("sc-threads", threads: 3)
        let launcher = try work.start(work.directory + "/sc-launcher", ["-c", "sleep 2; \(work.directory)/sc-child 60"])
        let apply = try work.start(Schedcat.binary, ["apply", "--catalog", work.catalog])
        #expect(await Self.eventually(5) { Self.knobs(launcher).policy == Self.idle }, "the launcher becomes SCHED_IDLE")

        // a process started after apply is handled within a second
        let late = try work.start(work.directory + "/sc-late", ["60"])
        let started = Date()
        #expect(await Self.eventually(3) { Self.knobs(late).nice == 16 && Self.knobs(late).policy == Self.idle })
        #expect(Date().timeIntervalSince(started) < 1.0, "took \(Date().timeIntervalSince(started)) s")

        // the launcher's child matches another rule: it gets that rule's nice, not the launcher's idle policy
        var child: Int32?
        #expect(await Self.eventually(6) {
            child = Self.pid(named: "sc-child", parent: launcher)
            return child.map { Self.knobs($0).nice == 5 } ?? false
        })
        if let child {
            let knobs = Self.knobs(child)
            #expect(knobs.policy == Self.other && knobs.ioprio == 0, "no SCHED_IDLE or idle IO leaked from the launcher: \(knobs)")
        }

        // an edit of the catalog is applied again
        try work.write(threadsNice: 3)
        #expect(await Self.eventually(4) { Self.threads(threaded).allSatisfy { Self.knobs($0).nice == 3 } })

        kill(apply, SIGTERM)
        #expect(await Self.eventually(3) { work.children.all.last { $0.processIdentifier == apply }?.isRunning == false })
    }
}
