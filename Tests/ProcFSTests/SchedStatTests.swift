// SPDX-License-Identifier: Apache-2.0
import Foundation
import ProcFS
import Testing

@Suite struct SchedStatTests {
    @Test func schedstatHasRunWaitAndTimeslices() throws {
        let stat = try #require(ThreadSchedStat(Array("450751 119573 12\n".utf8)))
        #expect(stat == ThreadSchedStat(runNs: 450_751, waitNs: 119_573, timeslices: 12))
        #expect(ThreadSchedStat(Array("1 2\n".utf8)) == nil && ThreadSchedStat(Array("1 x 3\n".utf8)) == nil)
    }

    @Test func cpuPressureReadsTheSomeTotal() throws {
        let text = "some avg10=97.18 avg60=58.19 avg300=19.72 total=2669176374\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"
        #expect(CPUPressure(Array(text.utf8))?.someTotalMicroseconds == 2_669_176_374)
        #expect(CPUPressure(Array("full total=3\n".utf8)) == nil)
    }

    /// The real kernel: this thread's own accounting moves while it works and sleeps.
    @Test func aSampleOfThisProcessCountsItsThreadsAndTheirSwitches() throws {
        let procfs = ProcFS()
        let before = try #require(procfs.schedSample(getpid()))
        var x = 0
        for i in 0..<3_000_000 { x &+= i }
        usleep(2000)
        let after = try #require(procfs.schedSample(getpid()))
        let delta = try #require(after.delta(since: before))
        #expect(delta.runNs > 0 && delta.timeslices > 0 && delta.voluntarySwitches > 0, "\(delta) \(x)")
        #expect(before.threads >= 1 && after.pid == getpid())
        var other = before
        other.startTime += 1
        #expect(after.delta(since: other) == nil, "another process with the same pid is no delta")
    }
}
