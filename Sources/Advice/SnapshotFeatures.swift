import Profiling

extension ProcessFeatures {
    /// The features of a snapshot record.
    public init(_ record: ProcessRecord) {
        self.init(pid: record.pid, comm: record.comm, exe: record.exe, cmdline: record.cmdline ?? [],
                  parentComm: record.parentComm, cgroup: record.cgroup, uid: record.uid, threads: record.threads,
                  cpuPercent: record.cpuPercent ?? record.lifetimeCPUPercent,
                  voluntarySwitchesPerSecond: record.voluntarySwitchesPerSecond,
                  involuntarySwitchesPerSecond: record.involuntarySwitchesPerSecond,
                  readBytesPerSecond: record.readBytesPerSecond, writeBytesPerSecond: record.writeBytesPerSecond,
                  rssKiB: Int(record.rssKiB), nice: record.nice, policy: record.policy, kernelThread: record.kernelThread,
                  exeOwnerUID: record.exeIdentity?.ownerUID, exeMode: record.exeIdentity?.mode)
    }
}
