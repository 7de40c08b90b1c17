// SPDX-License-Identifier: Apache-2.0
import ProcFS

extension ProcFS {
    /// What the matcher needs about a process, or nil if it is gone or a kernel thread: the one
    /// read of a process's identity that the enforcers and the audit share.
    public func facts(_ pid: Int32) -> (ProcessFacts, ProcStat)? {
        guard let stat = stat(pid), !stat.isKernelThread, let comm = comm(pid) else { return nil }
        let facts = ProcessFacts(comm: comm, argv: cmdline(pid) ?? [], exe: exe(pid), cgroup: cgroup(pid),
                                 exeFile: exeIdentity(pid))
        return (facts, stat)
    }
}
