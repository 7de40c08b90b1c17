// SPDX-License-Identifier: Apache-2.0
import Foundation
import ProcFS
import Testing
import LinuxSystem

/// Readers against a temporary /proc-like tree (edge cases) and the real /proc.
@Suite struct ProcTreeTests {
    func tree(_ files: [String: String]) throws -> String {
        let root = NSTemporaryDirectory() + "schedcat-procfs-test-" + UUID().uuidString
        for (path, content) in files {
            let full = root + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try content.write(toFile: full, atomically: false, encoding: .utf8)
        }
        return root
    }

    @Test func cgroupPrefersTheUnifiedHierarchy() throws {
        let root = try tree([
            "1/cgroup": "0::/system.slice/foo.service\n",
            "2/cgroup": "9:name=systemd:/user.slice\n4:memory:/x\n0::/user.slice/app.scope\n",
            "3/cgroup": "12:cpu,cpuacct:/legacy/path\n3:memory:/other\n",
            "4/cgroup": "",
        ])
        let procfs = ProcFS(root: root)
        #expect(procfs.cgroup(1) == "/system.slice/foo.service")
        #expect(procfs.cgroup(2) == "/user.slice/app.scope")
        #expect(procfs.cgroup(3) == "/legacy/path")
        #expect(procfs.cgroup(4) == nil)
        #expect(procfs.cgroup(5) == nil)
    }

    @Test func ioCmdlineAndListings() throws {
        let root = try tree([
            "10/io": "rchar: 5\nwchar: 6\nsyscr: 1\nsyscw: 1\nread_bytes: 4096\nwrite_bytes: 8192\ncancelled_write_bytes: 99\n",
            "10/cmdline": "/usr/bin/foo\0--bar\0\0baz\0",
            "10/task/10/status": "", "10/task/11/status": "",
            "11/io": "rchar: 5\n",
            "11/cmdline": "",
            "12/cmdline": "postgres: writer process   ",
            "self-not-a-pid/x": "",
        ])
        let procfs = ProcFS(root: root)
        #expect(procfs.io(10).map { [$0.readBytes, $0.writeBytes] } == [4096, 8192])
        #expect(procfs.io(11) == nil)
        #expect(procfs.cmdline(10) == ["/usr/bin/foo", "--bar", "", "baz"])
        #expect(procfs.cmdline(11) == [])
        #expect(procfs.cmdline(12) == ["postgres: writer process   "])
        #expect(procfs.cmdline(13) == nil)
        #expect(procfs.pids() == [10, 11, 12])
        #expect(procfs.threadIDs(10) == [10, 11])
        #expect(procfs.exe(10) == nil && procfs.exeIdentity(10) == nil)
    }

    @Test func largeFilesAreReadWhole() throws {
        let argument = String(repeating: "x", count: 10_000)
        let root = try tree(["5/cmdline": "a\0\(argument)\0b\0"])
        #expect(ProcFS(root: root).cmdline(5) == ["a", argument, "b"])
    }

    @Test func theRealProcDescribesThisProcess() throws {
        let procfs = ProcFS()
        let me = getpid()
        #expect(procfs.pids().contains(me))
        let stat = try #require(procfs.stat(me))
        #expect(stat.comm == procfs.comm(me))
        #expect(stat.ppid == getppid())
        #expect(stat.threads == procfs.threadIDs(me).count || stat.threads > 1)
        #expect(!stat.isKernelThread)
        let status = try #require(procfs.processStatus(me))
        #expect(status.realUID == getuid() && status.effectiveUID == geteuid())
        #expect(status.voluntarySwitches + status.involuntarySwitches > 0)
        let thread = try #require(procfs.threadIDs(me).first)
        #expect(procfs.processStatus(me, tid: thread) != nil && procfs.threadStat(me, thread) != nil)
        #expect(procfs.cmdline(me) == CommandLine.arguments)
        let exe = try #require(procfs.exe(me))
        let identity = try #require(procfs.exeIdentity(me))
        #expect(identity == FileIdentity.of(exe))
        #expect(procfs.io(me) != nil)
        #expect(procfs.cgroup(me)?.hasPrefix("/") == true)
        #expect(procfs.status(me)?["Name"] == stat.comm)
    }

    @Test func kernelThreadsAreFlaggedOnTheRealProc() throws {
        let kthreadd = try #require(ProcFS().stat(2))
        #expect(kthreadd.comm == "kthreadd" && kthreadd.isKernelThread)
        #expect(ProcFS().cmdline(2) == [] && ProcFS().exe(2) == nil)
        #expect(ProcFS().stat(1)?.isKernelThread == false)
    }
}
