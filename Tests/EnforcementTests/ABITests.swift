// SPDX-License-Identifier: Apache-2.0
import Compile
import Enforcement
import SchedcatABI
import Testing

/// Constants Swift shares with the BPF scheduler come from bpf/scx_catalog.h, and what Swift
/// keeps beside it (the counter names) has to match it.
@Suite struct ABITests {
    @Test func everyKernelCounterHasOneName() {
        #expect(SchedulerStatusReport.eventNames.count == Int(SC_NR_COUNTERS.rawValue))
        #expect(Set(SchedulerStatusReport.eventNames).count == SchedulerStatusReport.eventNames.count)
    }

    @Test func slicesAndWeightsFollowTheHeader() {
        #expect(SliceTable.defaultNs == SC_DEFAULT_SLICE_NS && CompiledClass.defaultClass.sliceNs == SC_DEFAULT_SLICE_NS)
        #expect(SliceTable.sliceNs(latencyNice: -20, batch: false) == SC_MIN_SLICE_NS)
        #expect(SliceTable.sliceNs(latencyNice: 19, batch: true) == SC_MAX_SLICE_NS)
        #expect(NiceWeights.weight(nice: 0) == SC_WEIGHT_NICE0)
        #expect(SchedulerOptions(objectPath: "", catalogPath: "").idleMaxWaitNs == SC_IDLE_MAX_WAIT_NS)
    }
}
