// SPDX-License-Identifier: Apache-2.0
import Foundation
import Profiling
import Testing

@Suite struct SnapshotFileTests {
    /// The example from the issue, with only the contract fields.
    let contractExample = """
    { "schema": "schedcat.snapshot/v1", "taken_at": "2026-11-26T12:00:00Z", "window_s": 3.0,
      "host": { "kernel": "6.18.44", "cpus": 2, "sched_ext": "absent" },
      "processes": [ { "pid": 1234, "ppid": 1, "comm": "firefox", "exe": "/usr/lib/firefox/firefox",
          "cmdline": ["/usr/lib/firefox/firefox"], "parent_comm": "systemd", "uid": 1000,
          "threads": 87, "cpu_percent": 12.5, "rss_kib": 123456,
          "voluntary_switches_per_s": 120.0, "involuntary_switches_per_s": 5.0,
          "read_bytes_per_s": 0, "write_bytes_per_s": 0,
          "cgroup": "/user.slice/user-1000.slice/app.scope", "nice": 0, "policy": "other",
          "kernel_thread": false } ] }
    """

    func loadError(_ json: String) throws -> SnapshotError {
        let path = try TestSupport.temporaryDirectory() + "/bad.json"
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        let error = try #require(throws: SnapshotError.self) { try Snapshot.load(path) }
        #expect(error.kind == .invalid)
        #expect(error.message.hasPrefix(path + ": "))
        return error
    }

    @Test func theContractExampleLoads() throws {
        let snapshot = try Snapshot.decode(Data(contractExample.utf8), source: "example")
        let record = try #require(snapshot.processes.first)
        #expect(record.comm == "firefox" && record.threads == 87 && record.cpuPercent == 12.5 && record.rssKiB == 123_456)
        #expect(record.observed == .both && record.exeIdentity == nil && record.startTime == nil)
        #expect(snapshot.host.schedExt == .absent && snapshot.windowSeconds == 3)
        #expect(Snapshot.formatTimestamp(snapshot.takenAt) == "2026-11-26T12:00:00Z")
        #expect(snapshot.schedcatVersion == nil, "a v1 file without schedcat_version (older schedcat, by hand) loads")
    }

    @Test func theWritingSchedcatsVersionRoundTrips() throws {
        let snapshot = Snapshot(schedcatVersion: "9.8.7", takenAt: Date(timeIntervalSince1970: 0), windowSeconds: 1,
                                host: TestSupport.fixedHost, processes: [])
        let object = try JSONSerialization.jsonObject(with: snapshot.jsonData()) as? [String: Any]
        #expect(object?["schedcat_version"] as? String == "9.8.7")
        #expect(try Snapshot.decode(snapshot.jsonData(), source: "memory").schedcatVersion == "9.8.7")
    }

    @Test func everyFieldIsWrittenUnknownOnesAsNull() throws {
        let record = ProcessRecord(
            pid: 7, ppid: 1, comm: "x", exe: nil, cmdline: nil, parentComm: nil, uid: nil, threads: 1, cpuPercent: nil,
            rssKiB: 0, voluntarySwitchesPerSecond: nil, involuntarySwitchesPerSecond: nil, readBytesPerSecond: nil,
            writeBytesPerSecond: nil, cgroup: nil, nice: 0, policy: "other", kernelThread: false, observed: .firstOnly)
        let snapshot = Snapshot(takenAt: Date(timeIntervalSince1970: 0), windowSeconds: 1, host: TestSupport.fixedHost, processes: [record])
        let object = try JSONSerialization.jsonObject(with: snapshot.jsonData()) as? [String: Any]
        let written = try #require((object?["processes"] as? [[String: Any]])?.first)
        let contract = ["pid", "ppid", "comm", "exe", "cmdline", "parent_comm", "uid", "threads", "cpu_percent", "rss_kib",
                        "voluntary_switches_per_s", "involuntary_switches_per_s", "read_bytes_per_s", "write_bytes_per_s",
                        "cgroup", "nice", "policy", "kernel_thread"]
        let additions = ["observed", "start_time", "age_s", "state", "rt_priority", "lifetime_cpu_percent",
                         "exe_dev", "exe_dev_kernel", "exe_ino", "exe_uid", "exe_mode"]
        #expect(Set(written.keys) == Set(contract + additions))
        for key in ["exe", "cmdline", "parent_comm", "uid", "cpu_percent", "cgroup", "exe_ino"] {
            #expect(written[key] is NSNull, "\(key) should be null")
        }
        #expect(written["observed"] as? String == "first_only")
        #expect(Set((object ?? [:]).keys) == ["schema", "schedcat_version", "taken_at", "window_s", "host", "processes"])
        #expect(object?["schedcat_version"] is NSNull, "a snapshot no schedcat stamped says so with null")
        #expect(object?["taken_at"] as? String == "1970-01-01T00:00:00Z")
        #expect(try Snapshot.decode(snapshot.jsonData(), source: "memory") == snapshot)
    }

    @Test func badFilesGetAClearError() throws {
        #expect(try loadError("{ not json").message.contains("not valid JSON"))
        #expect(try loadError(contractExample.replacingOccurrences(of: "snapshot/v1", with: "snapshot/v9"))
            .message.contains("schema is 'schedcat.snapshot/v9'"))
        #expect(try loadError(contractExample.replacingOccurrences(of: "\"cpu_percent\": 12.5,", with: ""))
            .message.contains("missing key 'cpu_percent' in processes[0]"))
        #expect(try loadError(contractExample.replacingOccurrences(of: "\"threads\": 87", with: "\"threads\": \"many\""))
            .message.contains("processes[0].threads: expected an integer"))
        #expect(try loadError(contractExample.replacingOccurrences(of: "\"cpu_percent\": 12.5", with: "\"cpu_percent\": -3"))
            .message.contains("cpu_percent must be a number >= 0"))
        #expect(try loadError(contractExample.replacingOccurrences(of: "absent", with: "maybe"))
            .message.contains("host.sched_ext"))
        #expect(try loadError(contractExample.replacingOccurrences(of: "12:00:00Z", with: "noon"))
            .message.contains("taken_at"))
        let missing = #expect(throws: SnapshotError.self) { try Snapshot.load("/nonexistent/snapshot.json") }
        #expect(missing?.kind == .unreadable)
    }

    @Test func writingIsAtomicAndNeverClobbersWithoutOverwrite() throws {
        let directory = try TestSupport.temporaryDirectory()
        let path = directory + "/snap.json"
        let first = try Snapshot.decode(Data(contractExample.utf8), source: "example")
        try first.write(to: path, overwrite: false)
        #expect(try Snapshot.load(path) == first)
        var second = first
        second.windowSeconds = 9
        let refused = #expect(throws: SnapshotError.self) { try second.write(to: path, overwrite: false) }
        #expect(refused?.message.contains("--force") == true)
        #expect(try Snapshot.load(path) == first)
        try second.write(to: path, overwrite: true)
        #expect(try Snapshot.load(path) == second)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["snap.json"])
        let unwritable = #expect(throws: SnapshotError.self) { try first.write(to: "/nonexistent/dir/snap.json", overwrite: true) }
        #expect(unwritable?.kind == .writeFailed)
    }
}

/// Issue 13: the safety signals are an optional addition; snapshots written before them still load.
@Suite struct SnapshotSignalsTests {
    @Test func signalsRoundTripAndOldRecordsHaveNone() throws {
        let old = try Snapshot.decode(Data(SnapshotFileTests().contractExample.utf8), source: "old")
        #expect(old.processes.first?.signals == nil)
        var record = try #require(old.processes.first)
        record.signals = ProcessSignals(realtimeThreads: 2, audioDevice: true, audioSocket: false, displaySocket: true,
                                        servesDisplayOrAudio: false, truncated: false)
        let snapshot = Snapshot(takenAt: old.takenAt, windowSeconds: 1, host: old.host, processes: [record])
        let object = try JSONSerialization.jsonObject(with: snapshot.jsonData()) as? [String: Any]
        let written = try #require((object?["processes"] as? [[String: Any]])?.first?["signals"] as? [String: Any])
        #expect(written["realtime_threads"] as? Int == 2 && written["audio_device"] as? Bool == true)
        #expect(try Snapshot.decode(snapshot.jsonData(), source: "memory") == snapshot)
    }
}
