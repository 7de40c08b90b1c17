// SPDX-License-Identifier: Apache-2.0
#if canImport(Glibc)
import Glibc
#endif

/// Reads small kernel files (/proc, /sys) with plain syscalls: no Foundation, no caching.
enum FileReader {
    /// The whole file, or nil when it cannot be opened or read (gone, permission denied).
    static func bytes(_ path: String, limit: Int = 1 << 20) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        var used = 0
        while used < limit {
            if used == buffer.count {
                buffer.append(contentsOf: repeatElement(0, count: min(buffer.count, limit - used)))
            }
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + used, $0.count - used) }
            if n < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if n == 0 { break }
            used += n
        }
        buffer.removeLast(buffer.count - used)
        return buffer
    }

    static func text(_ path: String) -> String? {
        bytes(path).map { String(decoding: $0, as: UTF8.self) }
    }

    static func link(_ path: String) -> String? {
        var buffer = [UInt8](repeating: 0, count: 4097)
        let n = buffer.withUnsafeMutableBufferPointer { pointer in
            pointer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: pointer.count) { readlink(path, $0, 4096) }
        }
        guard n >= 0 else { return nil }
        return String(decoding: buffer[0..<n], as: UTF8.self)
    }

    /// Numeric entries of a directory (pids, tids or descriptors), unsorted, at most `limit` of them.
    static func numericEntries(_ path: String, limit: Int = .max) -> [Int32] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var out: [Int32] = []
        while out.count < limit, let entry = readdir(dir) {
            let value = withUnsafeBytes(of: entry.pointee.d_name) { raw -> Int32? in
                var number: Int32 = 0
                var digits = 0
                for byte in raw {
                    if byte == 0 { break }
                    guard byte >= 48 && byte <= 57 else { return nil }
                    number = number &* 10 &+ Int32(byte - 48)
                    digits += 1
                }
                return digits > 0 ? number : nil
            }
            if let value { out.append(value) }
        }
        return out
    }
}
