// SPDX-License-Identifier: Apache-2.0
import Compile
import ProcFS
import SchedcatABI

/// Keeps the tgid map in step with /proc for the rules only user space can match
/// (cmdline and cgroup conditions, full-name-only rules).
public struct SchedulerProcessPins {
    let procfs: ProcFS
    /// tgid -> (class, start time) as written to the map.
    public private(set) var pinned: [Int32: sc_match] = [:]

    public init(procfs: ProcFS = ProcFS()) {
        self.procfs = procfs
    }

    /// One pass over /proc. Returns how many entries changed.
    @discardableResult
    public mutating func refresh(_ resolver: ProcessResolver, map: BPFMap) -> Int {
        var wanted: [Int32: sc_match] = [:]
        if !resolver.isEmpty {
            for pid in procfs.pids() {
                guard let comm = procfs.comm(pid),
                      resolver.mayMatch(comm: comm, argv0: procfs.cmdline(pid)?.first, exe: procfs.exe(pid)),
                      let (facts, stat) = procfs.facts(pid) else { continue }
                if let classID = resolver.classID(for: facts) {
                    wanted[pid] = tgidMatch(classID: classID, startTicks: stat.startTime)
                }
            }
        }
        var changes = 0
        for (pid, value) in wanted where pinned[pid].map({ rawBytes($0) != rawBytes(value) }) ?? true {
            if (try? map.update(UInt32(bitPattern: pid), value)) != nil { changes += 1 }
        }
        for pid in pinned.keys where wanted[pid] == nil {
            map.deleteBytes(rawBytes(UInt32(bitPattern: pid)))
            changes += 1
        }
        pinned = wanted
        return changes
    }
}
