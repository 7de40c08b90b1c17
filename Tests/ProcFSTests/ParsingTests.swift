// SPDX-License-Identifier: Apache-2.0
import ProcFS
import Testing
import LinuxSystem

@Suite struct ParsingTests {
    func statLine(_ comm: String, flags: UInt64 = 0x400100, nice: Int = -5, policy: Int = 1) -> [UInt8] {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
        // cutime cstime priority nice threads itreal starttime vsize rss rsslim ... processor rt_priority policy ...
        let rest = "R 77 77 77 0 -1 \(flags) 1 0 0 0 1234 567 0 0 -51 \(nice) 4 0 987654321 1000 250 18446744073709551615 "
            + "1 1 0 0 0 0 0 0 0 0 0 0 17 1 50 \(policy) 0 0 0 0 0 0 0 0 0 0 0\n"
        return Array("4242 (\(comm)) \(rest)".utf8)
    }

    @Test func statFieldsAreCountedFromTheLastParenthesis() throws {
        let stat = try #require(ProcStat(statLine("a) (b c) R 9")))
        #expect(stat.comm == "a) (b c) R 9")
        #expect(stat.state == "R" && stat.ppid == 77 && stat.utime == 1234 && stat.stime == 567 && stat.cpuTicks == 1801)
        #expect(stat.nice == -5 && stat.threads == 4 && stat.startTime == 987_654_321 && stat.rssPages == 250)
        #expect(stat.processor == 1 && stat.rtPriority == 50 && stat.policy == SchedPolicyNumber.fifo)
        #expect(!stat.isKernelThread)
        #expect(try #require(ProcStat(statLine("kthreadd", flags: 0x208040))).isKernelThread)
    }

    @Test func malformedStatIsRejectedNotMisread() {
        #expect(ProcStat(Array("4242 (x) R 1 2 3".utf8)) == nil)
        #expect(ProcStat(Array("no parentheses at all".utf8)) == nil)
        #expect(ProcStat([]) == nil)
        var garbled = statLine("x")
        garbled[garbled.firstIndex(of: UInt8(ascii: "7"))!] = UInt8(ascii: "z")  // ppid "z7"
        #expect(ProcStat(garbled) == nil)
    }

    @Test func statusGivesUidsAndContextSwitches() throws {
        let text = "Name:\tx\nUid:\t1000\t1001\t1002\t1003\nGid:\t5\t5\t5\t5\nThreads:\t2\n"
            + "voluntary_ctxt_switches:\t123456789012\nnonvoluntary_ctxt_switches:\t42\n"
        let status = try #require(ProcStatus(Array(text.utf8)))
        #expect(status == ProcStatus(realUID: 1000, effectiveUID: 1001, voluntarySwitches: 123_456_789_012, involuntarySwitches: 42))
        #expect(ProcStatus(Array("Name:\tx\nUid:\t0\t0\t0\t0\n".utf8)) == nil)
    }

    @Test func exeDeviceNumbersConvertToTheKernelEncoding() {
        // glibc makedev(259, 1) and makedev(8, 300): minor bits above 8 move to bits 20+.
        #expect(FileIdentity(device: 0x10301, inode: 1, ownerUID: 0, mode: 0).kernelDevice == (259 << 20 | 1))
        let glibc: UInt64 = (300 & 0xff) | ((8 & 0xfff) << 8) | ((300 & ~0xff) << 12)
        #expect(FileIdentity(device: glibc, inode: 1, ownerUID: 0, mode: 0).kernelDevice == (8 << 20 | 300))
    }

    @Test func policyNames() {
        #expect(SchedPolicyNumber.name(0) == "other" && SchedPolicyNumber.name(3) == "batch" && SchedPolicyNumber.name(5) == "idle")
        #expect(SchedPolicyNumber.name(7) == "ext" && SchedPolicyNumber.name(42) == "policy-42")
        #expect(SchedPolicyNumber.isRealtime(SchedPolicyNumber.rr) && !SchedPolicyNumber.isRealtime(SchedPolicyNumber.batch))
    }
}
