// SPDX-License-Identifier: Apache-2.0
import LinuxSystem
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
                  exeFile: record.exeIdentity.map {
                      FileIdentity(device: $0.device, inode: $0.inode, ownerUID: $0.ownerUID, mode: $0.mode)
                  }, signals: record.signals)
    }
}
