// SPDX-License-Identifier: Apache-2.0
import CLibBPF
import Foundation

/// A BPF map by file descriptor, with keys and values as raw bytes or plain C structs.
public struct BPFMap: @unchecked Sendable {
    public let fd: Int32
    public let name: String
    public let keySize: Int
    public let valueSize: Int
    public let maxEntries: Int
    public let perCPU: Bool
    let ownsFD: Bool
    /// Keeps the object whose fd this is open as long as the map is in use.
    var owner: AnyObject? = nil

    /// Opens a map pinned in bpffs (its sizes come from the kernel).
    public static func pinned(_ path: String) throws -> BPFMap {
        let fd = bpf_obj_get(path)
        guard fd >= 0 else { throw BPFError.libbpf("\(path): cannot open pinned map", schedcat_errno()) }
        var info = bpf_map_info()
        var length = UInt32(MemoryLayout<bpf_map_info>.size)
        guard bpf_map_get_info_by_fd(fd, &info, &length) == 0 else {
            _ = Glibc.close(fd)
            throw BPFError.libbpf("\(path): map info", schedcat_errno())
        }
        let name = withUnsafeBytes(of: info.name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return BPFMap(fd: fd, name: name, keySize: Int(info.key_size), valueSize: Int(info.value_size),
                      maxEntries: Int(info.max_entries), perCPU: isPerCPU(bpf_map_type(info.type)), ownsFD: true)
    }

    public func close() {
        if ownsFD { _ = Glibc.close(fd) }
    }

    public func pin(at path: String) throws {
        unlink(path)
        if bpf_obj_pin(fd, path) != 0 { throw BPFError.libbpf("pinning \(name) at \(path)", schedcat_errno()) }
    }

    public func update<Key, Value>(_ key: Key, _ value: Value) throws {
        try updateBytes(rawBytes(key), rawBytes(value))
    }

    public func updateBytes(_ key: [UInt8], _ value: [UInt8]) throws {
        precondition(key.count == keySize && value.count == valueSize)
        let result = key.withUnsafeBytes { k in value.withUnsafeBytes { v in
            bpf_map_update_elem(fd, k.baseAddress, v.baseAddress, UInt64(BPF_ANY))
        } }
        if result != 0 { throw BPFError.libbpf("\(name): update", schedcat_errno()) }
    }

    /// Many entries in one system call when the kernel supports it, else one by one.
    public func updateBytes(_ entries: [(key: [UInt8], value: [UInt8])]) throws {
        var batch = EntryBatch()
        for entry in entries { batch.append(entry.key, entry.value) }
        try updateBatch(batch)
    }

    func updateBatch(_ batch: EntryBatch) throws {
        guard batch.count > 0 else { return }
        var done = UInt32(batch.count)
        let result = batch.keys.withUnsafeBytes { k in batch.values.withUnsafeBytes { v in
            schedcat_map_update_batch(fd, k.baseAddress, v.baseAddress, &done)
        } }
        if result == 0 && done == UInt32(batch.count) { return }
        // the kernel reports how many went in before an error; write the rest one by one
        for index in Int(result == 0 ? done : 0)..<batch.count {
            try updateBytes(Array(batch.keys[index * keySize..<(index + 1) * keySize]),
                            Array(batch.values[index * valueSize..<(index + 1) * valueSize]))
        }
    }

    public func deleteBytes(_ key: [UInt8]) {
        _ = key.withUnsafeBytes { bpf_map_delete_elem(fd, $0.baseAddress) }
    }

    public func lookup<Key, Value>(_ key: Key, as type: Value.Type) -> Value? {
        precondition(MemoryLayout<Value>.size == valueSize && !perCPU)
        return lookupBytes(rawBytes(key)).map { bytes in bytes.withUnsafeBytes { $0.loadUnaligned(as: Value.self) } }
    }

    public func lookupBytes(_ key: [UInt8]) -> [UInt8]? {
        var value = [UInt8](repeating: 0, count: valueSize)
        let result = key.withUnsafeBytes { k in value.withUnsafeMutableBytes { bpf_map_lookup_elem(fd, k.baseAddress, $0.baseAddress) } }
        return result == 0 ? value : nil
    }

    /// One value per possible CPU.
    public func lookupPerCPU<Key, Value>(_ key: Key, as type: Value.Type) -> [Value] {
        precondition(perCPU)
        let cpus = Int(libbpf_num_possible_cpus())
        let stride = (valueSize + 7) / 8 * 8
        var buffer = [UInt8](repeating: 0, count: stride * max(cpus, 1))
        let keyBytes = rawBytes(key)
        let result = keyBytes.withUnsafeBytes { k in buffer.withUnsafeMutableBytes { bpf_map_lookup_elem(fd, k.baseAddress, $0.baseAddress) } }
        guard result == 0 else { return [] }
        return (0..<cpus).map { cpu in buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: cpu * stride, as: Value.self) } }
    }

    /// Every key, as raw bytes.
    public func keys() -> [[UInt8]] {
        var result: [[UInt8]] = []
        var current: [UInt8]? = nil
        var next = [UInt8](repeating: 0, count: keySize)
        while true {
            let status: Int32
            if let previous = current {
                status = previous.withUnsafeBytes { p in next.withUnsafeMutableBytes { bpf_map_get_next_key(fd, p.baseAddress, $0.baseAddress) } }
            } else {
                status = next.withUnsafeMutableBytes { bpf_map_get_next_key(fd, nil, $0.baseAddress) }
            }
            guard status == 0 else { break }
            result.append(next)
            current = next
        }
        return result
    }
}

/// The bytes of a plain C struct.
public func rawBytes<T>(_ value: T) -> [UInt8] {
    withUnsafeBytes(of: value) { Array($0) }
}
