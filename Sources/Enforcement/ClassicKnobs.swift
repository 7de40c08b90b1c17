// SPDX-License-Identifier: Apache-2.0
import CLinuxSyscalls
import Catalog
import LinuxSystem
import ProcFS
#if canImport(Glibc)
import Glibc
#endif

/// The per-thread settings the classic backend reads and writes, as the kernel reports them.
struct ThreadKnobs: Equatable {
    var nice: Int
    var policy: Int
    /// class << 13 | level, as ioprio_get returns it.
    var ioprio: Int
    var cpus: [Int]

    static let ioprioClassShift = 13

    static func read(tid: Int32) -> ThreadKnobs? {
        errno = 0
        let nice = Int(getpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(tid)))
        guard errno == 0 else { return nil }
        let policy = Int(sched_getscheduler(tid))
        let ioprio = Int(schedcat_ioprio_get(tid))
        guard policy >= 0, ioprio >= 0 else { return nil }
        var mask = [UInt64](repeating: 0, count: 16)
        let bytes = mask.withUnsafeMutableBufferPointer { schedcat_getaffinity(tid, $0.baseAddress, $0.count * 8) }
        guard bytes > 0 else { return nil }
        let cpus = (0..<(Int(bytes) * 8)).filter { mask[$0 / 64] & (1 << UInt64($0 % 64)) != 0 }
        return ThreadKnobs(nice: nice, policy: policy & 0xff, ioprio: ioprio, cpus: cpus)
    }

    /// The kernel's policy number for a catalog `sched` value.
    static func policyNumber(_ sched: SchedPolicy) -> Int {
        switch sched {
        case .normal: return SchedPolicyNumber.other
        case .batch: return SchedPolicyNumber.batch
        case .idle: return SchedPolicyNumber.idle
        }
    }

    /// ioprio for a catalog ioclass/ionice pair; nil when neither is set.
    static func ioprio(_ ioclass: IOClass?, _ ionice: Int?) -> Int? {
        guard ioclass != nil || ionice != nil else { return nil }
        let cls: Int
        switch ioclass ?? .bestEffort {
        case .none: return 0
        case .realtime: cls = 1
        case .bestEffort: cls = 2
        case .idle: return 3 << ioprioClassShift
        }
        return cls << ioprioClassShift | min(max(ionice ?? 4, 0), 7)
    }
}

/// One change the classic backend makes (or would make, with --dry-run).
public struct ClassicChange: Sendable, Encodable, CustomStringConvertible {
    public var pid: Int32
    public var tid: Int32?
    public var comm: String
    public var setting: String
    public var from: String
    public var to: String
    public var rule: String
    public var error: String?

    public var description: String {
        let target = tid.map { $0 == pid ? "pid \(pid)" : "pid \(pid) tid \($0)" } ?? "pid \(pid)"
        let result = error.map { " FAILED: \($0)" } ?? ""
        // the comm is the process's own choice, the rule name the catalog's: neither may drive a terminal or forge a log line
        return "\(target) (\(comm)): \(setting) \(from) -> \(to) [rule \(rule)]\(result)".escapedForTerminal
    }
}

/// The syscalls that change a thread's scheduling settings; each throws the errno it got.
enum KnobWriter {
    static func setNice(_ tid: Int32, _ nice: Int) throws(SystemError) {
        guard setpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(tid), Int32(nice)) == 0 else { throw SystemError("setpriority") }
    }

    static func setPolicy(_ tid: Int32, _ policy: Int) throws(SystemError) {
        var param = sched_param()
        param.sched_priority = 0
        guard sched_setscheduler(tid, Int32(policy), &param) == 0 else { throw SystemError("sched_setscheduler") }
    }

    static func setIOPrio(_ tid: Int32, _ ioprio: Int) throws(SystemError) {
        guard schedcat_ioprio_set(tid, Int32(ioprio >> ThreadKnobs.ioprioClassShift), Int32(ioprio & 0x1fff)) == 0 else {
            throw SystemError("ioprio_set")
        }
    }

    static func setAffinity(_ tid: Int32, _ cpus: [Int]) throws(SystemError) {
        var mask = [UInt64](repeating: 0, count: max(1, (cpus.max() ?? 0) / 64 + 1))
        for cpu in cpus { mask[cpu / 64] |= 1 << UInt64(cpu % 64) }
        guard mask.withUnsafeBufferPointer({ schedcat_setaffinity(tid, $0.baseAddress, $0.count * 8) }) == 0 else {
            throw SystemError("sched_setaffinity")
        }
    }

    static func setOOMScoreAdj(_ pid: Int32, _ value: Int, procRoot: String) throws(SystemError) {
        let path = "\(procRoot)/\(pid)/oom_score_adj"
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError("open", path: path) }
        defer { close(fd) }
        let text = Array("\(value)\n".utf8)
        guard text.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == text.count else { throw SystemError("write", path: path) }
    }

    /// What a change record says: nil when `body` succeeded (or did not run), else the errno text.
    static func outcome(dryRun: Bool, _ body: () throws(SystemError) -> Void) -> String? {
        guard !dryRun else { return nil }
        do {
            try body()
            return nil
        } catch {
            return error.message
        }
    }
}

func describeIOPrio(_ ioprio: Int) -> String {
    let names = ["none", "realtime", "best-effort", "idle"]
    let cls = ioprio >> ThreadKnobs.ioprioClassShift
    let name = names.indices.contains(cls) ? names[cls] : "class-\(cls)"
    return cls == 0 || cls == 3 ? name : "\(name)/\(ioprio & 7)"
}
