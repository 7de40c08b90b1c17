// SPDX-License-Identifier: Apache-2.0
import SchedcatABI

/// The C structs of bpf/scx_catalog.h for each compiled entry.
extension CompiledClass {
    public var abi: sc_class {
        var value = sc_class()
        value.weight = weight
        value.flags = (idle ? UInt32(SC_CLASS_IDLE) : 0) | (batch ? UInt32(SC_CLASS_BATCH) : 0)
            | (nice == nil ? UInt32(SC_CLASS_INHERIT_WEIGHT) : 0) | (cpus == nil ? 0 : UInt32(SC_CLASS_CPUMASK))
        value.slice_ns = sliceNs
        value.nice = Int32(nice ?? 0)
        value.latency_nice = Int32(latencyNice ?? 0)
        let words = cpumaskWords
        value.cpumask = (words[0], words[1], words[2], words[3])
        return value
    }

    /// cpus as SC_CPUMASK_WORDS 64-bit words.
    public var cpumaskWords: [UInt64] {
        var words = [UInt64](repeating: 0, count: Int(SC_CPUMASK_WORDS))
        for cpu in cpus ?? [] where cpu >= 0 && cpu < maxMaskCPUs {
            words[cpu / 64] |= 1 << UInt64(cpu % 64)
        }
        return words
    }
}

extension CommEntry {
    public var abiKey: sc_comm_key { commKey(comm) }

    public var abiValue: sc_match {
        sc_match(class_id: classID, flags: boostWithheld ? UInt32(SC_MATCH_BOOST_WITHHELD) : 0, start_ticks: 0)
    }
}

extension ExeEntry {
    public var abiKey: sc_exe_key { sc_exe_key(dev: device, ino: inode) }
    /// The class, and the rule's name: the kernel gives the class only to a process of that name.
    public var abiValue: sc_exe_match {
        sc_exe_match(match: sc_match(class_id: classID, flags: 0, start_ticks: 0), comm: commKey(rule).comm,
                     name_hash: exeNameHash(rule), name_len: UInt32(rule.utf8.count),
                     name_flags: matchesTruncatedComm ? UInt32(SC_EXE_NAME_TRUNCATED) : 0)
    }
}

/// FNV-1a (64 bit) of a name's bytes, as scx_catalog hashes the name of the file a task runs.
public func exeNameHash(_ name: String) -> UInt64 {
    name.utf8.reduce(UInt64(SC_FNV64_OFFSET)) { ($0 ^ UInt64($1)) &* UInt64(SC_FNV64_PRIME) }
}

/// A comm as the kernel keeps it: at most 15 bytes, NUL-padded to 16.
public func commKey(_ name: String) -> sc_comm_key {
    var key = sc_comm_key()
    withUnsafeMutableBytes(of: &key.comm) { raw in
        for (index, byte) in name.utf8.prefix(Int(SC_COMM_LEN) - 1).enumerated() { raw[index] = byte }
    }
    return key
}

/// The tgid map value pinning a process (started at `startTicks`) to a class.
public func tgidMatch(classID: UInt32, startTicks: UInt64) -> sc_match {
    sc_match(class_id: classID, flags: 0, start_ticks: startTicks)
}
