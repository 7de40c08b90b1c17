// SPDX-License-Identifier: Apache-2.0
import Advice
import Catalog
import Foundation
import Profiling
import Testing
import TestSupport

/// Issue 13, item 1: real processes with a SCHED_FIFO thread, an open ALSA device node, a PipeWire
/// socket, or a place in system.slice, profiled from the real /proc, and a stub model that always
/// answers the harmful type. What the evidence forbids is proposed as IN_DIFF with both sides in
/// the reason; the plain processes beside them get the model's type (the guard is no blanket).
@Suite(.serialized, .enabled(if: geteuid() == 0 || ProcessInfo.processInfo.environment["CI"] == "true"))
struct AdviceSafetyTests {
    @Test func evidenceOfLatencyWorkStopsADemotion() async throws {
        try #require(geteuid() == 0, "needs root: SCHED_FIFO, mknod")
        let lab = try SafetyLab()
        defer { lab.cleanUp() }
        let device = lab.directory + "/snd/pcmC0D0p"
        try FileManager.default.createDirectory(atPath: lab.directory + "/snd", withIntermediateDirectories: true)
        #expect(mknod(device, S_IFCHR | 0o600, dev_t(116 << 8 | 16)) == 0, "mknod: \(errno)")
        let socketPath = lab.directory + "/runtime/pipewire-0"
        try FileManager.default.createDirectory(atPath: lab.directory + "/runtime", withIntermediateDirectories: true)
        let fifo = try lab.start("sc-fifo-thread", ["fifo"])
        let sound = try lab.start("sc-sound-dev", ["device", device])
        let server = try lab.start("sc-pw-server", ["server", socketPath])
        let client = try lab.start("sc-pw-client", ["client", socketPath])
        let plain = try lab.start("sc-plain-proc", ["plain"])

        let rules = try await lab.advise([fifo, sound, server, client, plain], stubType: "Heavy_CPU")
        for (name, evidence) in [("sc-fifo-thread", "realtime thread"), ("sc-sound-dev", "sound device"),
                                 ("sc-pw-server", "PipeWire/PulseAudio socket"), ("sc-pw-client", "PipeWire/PulseAudio socket")] {
            let rule = try #require(rules[name], "no proposal for \(name): \(rules.keys.sorted())")
            #expect(rule.type == "IN_DIFF" && rule.status == .proposed, "\(name): \(rule.type ?? "unknown") \(rule.status)")
            #expect(rule.reason?.contains("model said Heavy_CPU") == true && rule.reason?.contains(evidence) == true,
                    "\(name): \(rule.reason ?? "")")
        }
        #expect(rules["sc-plain-proc"]?.type == "Heavy_CPU", "the plain process keeps the model's demotion")
    }

    @Test func aSystemSliceServiceIsNotBoosted() async throws {
        try #require(geteuid() == 0, "needs root: cgroups, setpriv")
        let lab = try SafetyLab()
        defer { lab.cleanUp() }
        // both run as an ordinary uid, so only where they run differs
        let service = try lab.start("sc-slice-svc", ["plain"], asNobody: true)
        let other = try lab.start("sc-plain-svc", ["plain"], asNobody: true)
        try lab.move(service.pid, to: "system.slice/schedcat-test-\(UUID().uuidString.prefix(8)).scope")
        try lab.move(other.pid, to: "schedcat-test-\(UUID().uuidString.prefix(8)).scope")

        let rules = try await lab.advise([service, other], stubType: "LowLatency_RT")
        let held = try #require(rules["sc-slice-svc"])
        #expect(held.type == "IN_DIFF", "\(held.type ?? "unknown")")
        #expect(held.reason?.contains("model said LowLatency_RT") == true && held.reason?.contains("system.slice") == true,
                "\(held.reason ?? "")")
        #expect(rules["sc-plain-svc"]?.type == "LowLatency_RT", "the same program outside system.slice keeps the model's boost")
    }
}

/// Temporary programs (a python script per name, so the comm is the name), cgroups, and a stub model.
final class SafetyLab: @unchecked Sendable {
    let directory: String
    private var processes: [BackgroundProcess] = []
    private var cgroups: [String] = []
    private let cgroupRoot: String?

    static let program = """
        #!/usr/bin/python3
        import os, socket, sys, threading, time
        mode = sys.argv[1]
        held = []
        if mode == "fifo":
            ready = threading.Event()
            def realtime():
                os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(10))
                ready.set()
                time.sleep(3600)
            threading.Thread(target=realtime, daemon=True).start()
            ready.wait()
        elif mode == "device":
            try:
                held.append(os.open(sys.argv[2], os.O_RDONLY | os.O_NONBLOCK))
            except OSError:
                held.append(os.open(sys.argv[2], os.O_PATH))  # no ALSA driver here: the node itself is the evidence
        elif mode == "server":
            listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            listener.bind(sys.argv[2])
            listener.listen(8)
            def accept():
                while True:
                    held.append(listener.accept())
            threading.Thread(target=accept, daemon=True).start()
        elif mode == "client":
            client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            client.connect(sys.argv[2])
            held.append(client)
        print("ready", flush=True)
        time.sleep(3600)
        """

    init() throws {
        directory = NSTemporaryDirectory() + "schedcat-safety-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o755])
        cgroupRoot = Self.cgroup2Mount()
    }

    /// Runs the program under `name`, waits until it says it is ready.
    func start(_ name: String, _ arguments: [String], asNobody: Bool = false) throws -> BackgroundProcess {
        let path = directory + "/" + name
        try Self.program.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        let process = asNobody
            ? try BackgroundProcess("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "--", path] + arguments)
            : try BackgroundProcess(path, arguments)
        processes.append(process)
        let ready = BlockingWait.until(timeout: 10) { process.lines.contains("ready") }
        guard ready else { throw LabError(description: "\(name) did not start") }
        return process
    }

    /// Moves `pid` into a cgroup v2 group at `relative` (created, and removed by `cleanUp`).
    func move(_ pid: Int32, to relative: String) throws {
        guard let root = cgroupRoot else { throw LabError(description: "no cgroup2 mount") }
        var path = root
        for part in relative.split(separator: "/") {
            path += "/\(part)"
            if !FileManager.default.fileExists(atPath: path) {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
                cgroups.insert(path, at: 0)
            }
        }
        try "\(pid)\n".write(toFile: path + "/cgroup.procs", atomically: false, encoding: .utf8)
    }

    /// A real snapshot of these processes, asked about by a stub model that always answers `stubType`.
    func advise(_ targets: [BackgroundProcess], stubType: String) async throws -> [String: Rule] {
        let snapshot = try await Sampler().snapshot(window: .milliseconds(300))
        let pids = Set(targets.map(\.pid))
        let processes = snapshot.processes.filter { pids.contains($0.pid) }.map(ProcessFeatures.init)
        #expect(processes.count == targets.count, "profiled \(processes.count) of \(targets.count)")
        let stub = StubModelServer(script: [], fallback: .answer(#"{"reason": "stub", "type": "\#(stubType)"}"#))
        let url = try await stub.start()
        defer { Task { await stub.stop() } }
        let catalog = try CatalogDocument(text: CatalogDocument.newFileText, file: "memory").catalog
        var summary = GenerateSummary(advisor: "model", model: "stub", endpoint: url.absoluteString)
        let candidates = Generator.candidates(processes, catalog: catalog, selfPID: getpid(), summary: &summary)
        let advisor = ModelAdvisor(client: ChatClient(endpoint: url, apiKey: nil, timeout: 10, maxRetries: 0, backoff: 0.05),
                                   types: catalog.orderedTypes, model: "stub")
        let (rules, _, _) = await Generator.advise(candidates, advisor: advisor, catalog: catalog, concurrency: 2,
                                                   seen: "2026-11-29", summary: &summary)
        return Dictionary(rules.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    func cleanUp() {
        for process in processes { process.terminate() }
        for group in cgroups {
            // a killed process leaves its group a moment later
            _ = BlockingWait.until(timeout: 5) { rmdir(group) == 0 || errno == ENOENT }
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    static func cgroup2Mount() -> String? {
        guard let text = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") {
            let halves = line.components(separatedBy: " - ")
            guard halves.count == 2, halves[1].hasPrefix("cgroup2 ") else { continue }
            let fields = halves[0].split(separator: " ")
            if fields.count > 4 { return String(fields[4]) }
        }
        return nil
    }
}

struct LabError: Error, CustomStringConvertible {
    var description: String
}

enum BlockingWait {
    static func until(timeout: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            usleep(50_000)
        }
        return condition()
    }
}
