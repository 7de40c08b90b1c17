// SPDX-License-Identifier: Apache-2.0
import Foundation
import ProcFS
import Profiling
import Testing

/// Two hand-built reads of /proc (Tests/Fixtures/proc-before and proc-after, 2 s apart; see
/// Tests/Fixtures/make-proc-fixture for what each process is) give exactly these records.
@Suite struct FixtureSnapshotTests {
    let takenAt = Date(timeIntervalSince1970: 1_795_000_000)
    let kib = Int64(ProcFS.pageSize / 1024)

    func snapshot(_ options: SnapshotOptions = SnapshotOptions(selfPID: nil)) -> Snapshot {
        let before = Sampler(procfs: ProcFS(root: TestSupport.fixture("proc-before")), options: options, uptime: { 1000 })
        let after = Sampler(procfs: ProcFS(root: TestSupport.fixture("proc-after")), options: options, uptime: { 1002 })
        return before.snapshot(from: before.read(), to: after.read(), host: TestSupport.fixedHost, takenAt: takenAt)
    }

    var expected: [ProcessRecord] {
        [
            ProcessRecord(
                pid: 1, ppid: 0, comm: "systemd", exe: "/fixture/usr/lib/systemd/systemd", cmdline: ["/sbin/init", "splash"],
                parentComm: nil, uid: 0, threads: 1, cpuPercent: 5, rssKiB: 3000 * kib, voluntarySwitchesPerSecond: 50,
                involuntarySwitchesPerSecond: 2, readBytesPerSecond: 2048, writeBytesPerSecond: 1000, cgroup: "/init.scope",
                nice: 0, policy: "other", kernelThread: false, observed: .both, startTime: 21, ageSeconds: 1001.79,
                state: "S", rtPriority: 0, lifetimeCPUPercent: 0.51, exeIdentity: nil),
            // Threads: +40 (leader) +100 (1235) +30 (1237, new); 1236 ended and took its counts along.
            ProcessRecord(
                pid: 1234, ppid: 1, comm: "firefox", exe: "/fixture/usr/lib/firefox/firefox",
                cmdline: ["/fixture/usr/lib/firefox/firefox", "-P", "default"], parentComm: "systemd", uid: 1000, threads: 3,
                cpuPercent: 180, rssKiB: 30000 * kib, voluntarySwitchesPerSecond: 85, involuntarySwitchesPerSecond: 7.5,
                readBytesPerSecond: 1_048_576, writeBytesPerSecond: 0,
                cgroup: "/user.slice/user-1000.slice/user@1000.service/app.slice/app-firefox.scope", nice: 0, policy: "other",
                kernelThread: false, observed: .both, startTime: 50000, ageSeconds: 502, state: "S", rtPriority: 0,
                lifetimeCPUPercent: 3.11, exeIdentity: nil),
            // No exe link and no io file, as for another user's process when not root.
            ProcessRecord(
                pid: 1300, ppid: 1234, comm: "my (weird) name", exe: nil, cmdline: ["weird", "--flag"], parentComm: "firefox",
                uid: 1000, threads: 1, cpuPercent: 0, rssKiB: 200 * kib, voluntarySwitchesPerSecond: 1,
                involuntarySwitchesPerSecond: 0, readBytesPerSecond: nil, writeBytesPerSecond: nil, cgroup: "/user.slice",
                nice: 10, policy: "batch", kernelThread: false, observed: .both, startTime: 60000, ageSeconds: 402,
                state: "S", rtPriority: 0, lifetimeCPUPercent: 0.02, exeIdentity: nil),
            // Exited during the window: as the first read saw it, window rates unknown.
            ProcessRecord(
                pid: 1400, ppid: 1234, comm: "make", exe: "/fixture/usr/bin/make", cmdline: ["make", "-j2"],
                parentComm: "firefox", uid: 1000, threads: 1, cpuPercent: nil, rssKiB: 500 * kib,
                voluntarySwitchesPerSecond: nil, involuntarySwitchesPerSecond: nil, readBytesPerSecond: nil,
                writeBytesPerSecond: nil, cgroup: "/user.slice", nice: 0, policy: "other", kernelThread: false,
                observed: .firstOnly, startTime: 90000, ageSeconds: 100, state: "S", rtPriority: 0, lifetimeCPUPercent: 0.5,
                exeIdentity: nil),
            // Started at 1000.50 s, inside the window: its totals over the 2 s window.
            ProcessRecord(
                pid: 1500, ppid: 1, comm: "cc1", exe: "/fixture/usr/libexec/cc1", cmdline: ["/fixture/usr/libexec/cc1", "x.c"],
                parentComm: "systemd", uid: 1000, threads: 1, cpuPercent: 50, rssKiB: 4000 * kib,
                voluntarySwitchesPerSecond: 10, involuntarySwitchesPerSecond: 1, readBytesPerSecond: 0,
                writeBytesPerSecond: 2048, cgroup: "/user.slice", nice: 0, policy: "other", kernelThread: false,
                observed: .secondOnly, startTime: 100_050, ageSeconds: 1.5, state: "R", rtPriority: 0,
                lifetimeCPUPercent: 66.67, exeIdentity: nil),
            // pid 1600 was recycled: the old process and the new one are two records.
            ProcessRecord(
                pid: 1600, ppid: 1, comm: "old", exe: "/fixture/usr/bin/old", cmdline: ["old"], parentComm: "systemd",
                uid: 1000, threads: 1, cpuPercent: nil, rssKiB: 100 * kib, voluntarySwitchesPerSecond: nil,
                involuntarySwitchesPerSecond: nil, readBytesPerSecond: nil, writeBytesPerSecond: nil, cgroup: "/user.slice",
                nice: 0, policy: "other", kernelThread: false, observed: .firstOnly, startTime: 50000, ageSeconds: 500,
                state: "S", rtPriority: 0, lifetimeCPUPercent: 0, exeIdentity: nil),
            ProcessRecord(
                pid: 1600, ppid: 1, comm: "new", exe: "/fixture/usr/bin/new", cmdline: ["new"], parentComm: "systemd",
                uid: 0, threads: 1, cpuPercent: 5, rssKiB: 100 * kib, voluntarySwitchesPerSecond: 2,
                involuntarySwitchesPerSecond: 2, readBytesPerSecond: 0, writeBytesPerSecond: 0, cgroup: "/system.slice",
                nice: 0, policy: "other", kernelThread: false, observed: .secondOnly, startTime: 100_100, ageSeconds: 1,
                state: "S", rtPriority: 0, lifetimeCPUPercent: 10, exeIdentity: nil),
            // Only in the second read, but it started long before the first: its totals are not window rates.
            ProcessRecord(
                pid: 1700, ppid: 1, comm: "late", exe: "/fixture/usr/bin/late", cmdline: ["late"], parentComm: "systemd",
                uid: 0, threads: 1, cpuPercent: nil, rssKiB: 100 * kib, voluntarySwitchesPerSecond: nil,
                involuntarySwitchesPerSecond: nil, readBytesPerSecond: nil, writeBytesPerSecond: nil, cgroup: "/system.slice",
                nice: 0, policy: "other", kernelThread: false, observed: .secondOnly, startTime: 80000, ageSeconds: 202,
                state: "S", rtPriority: 0, lifetimeCPUPercent: 0.5, exeIdentity: nil),
        ]
    }

    @Test func theFixtureReadsGiveExactlyTheExpectedRecords() throws {
        try #require(ProcFS.ticksPerSecond == 100, "the fixture's tick counts assume USER_HZ 100")
        let snapshot = snapshot()
        #expect(snapshot.schema == "schedcat.snapshot/v1")
        #expect(snapshot.windowSeconds == 2)
        #expect(snapshot.takenAt == takenAt)
        #expect(snapshot.host == TestSupport.fixedHost)
        #expect(snapshot.processes.map(\.pid) == expected.map(\.pid))
        for (actual, wanted) in zip(snapshot.processes, expected) {
            #expect(actual == wanted, "pid \(wanted.pid) (\(wanted.comm))")
        }
        #expect(snapshot.problems().isEmpty)
    }

    @Test func kernelThreadsAreLeftOutUnlessAskedForAndThenFlagged() throws {
        #expect(!snapshot().processes.contains { $0.kernelThread })
        let withKernel = snapshot(SnapshotOptions(includeKernelThreads: true, selfPID: nil))
        let kernel = withKernel.processes.filter(\.kernelThread)
        #expect(kernel.map(\.pid) == [2, 40])
        let kworker = try #require(kernel.last)
        #expect(kworker.comm == "kworker/0:1-events")
        #expect(kworker.parentComm == "kthreadd")
        #expect(kworker.exe == nil && kworker.exeIdentity == nil)
        #expect(kworker.cmdline == [])
        #expect(kworker.cpuPercent == 0 && kworker.observed == .both)
        #expect(withKernel.processes.filter { !$0.kernelThread }.map(\.pid) == expected.map(\.pid))
    }

    @Test func schedcatItselfIsNeverReportedButStillNamesItsChildren() {
        let records = snapshot(SnapshotOptions(selfPID: 1234)).processes
        #expect(!records.contains { $0.pid == 1234 })
        #expect(records.first { $0.pid == 1300 }?.parentComm == "firefox")
        #expect(records.count == expected.count - 1)
    }

    @Test func aMissingProcRootGivesAnEmptySnapshotNotACrash() {
        let sampler = Sampler(procfs: ProcFS(root: "/nonexistent/proc"), uptime: { 5 })
        let table = sampler.read()
        #expect(table.count == 0)
        #expect(sampler.snapshot(from: table, to: table, host: TestSupport.fixedHost, takenAt: takenAt).processes.isEmpty)
    }
}
