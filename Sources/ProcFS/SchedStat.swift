// SPDX-License-Identifier: Apache-2.0
/// /proc/PID/task/TID/schedstat: the kernel's own accounting of one thread's CPU time.
public struct ThreadSchedStat: Sendable, Hashable {
    /// Time spent on a CPU, in nanoseconds.
    public var runNs: UInt64
    /// Time spent runnable but waiting on a run queue, in nanoseconds.
    public var waitNs: UInt64
    /// Times the thread was put on a CPU.
    public var timeslices: UInt64

    public init(runNs: UInt64, waitNs: UInt64, timeslices: UInt64) {
        self.runNs = runNs
        self.waitNs = waitNs
        self.timeslices = timeslices
    }

    /// Parses the three numbers of the file; nil on anything else.
    public init?(_ bytes: [UInt8]) {
        let fields = ASCIIFields.spaceSeparated(bytes, from: 0)
        guard fields.count == 3, let run: UInt64 = ASCIIFields.integer(bytes[fields[0]]),
              let wait: UInt64 = ASCIIFields.integer(bytes[fields[1]]),
              let slices: UInt64 = ASCIIFields.integer(bytes[fields[2]]) else { return nil }
        self.init(runNs: run, waitNs: wait, timeslices: slices)
    }
}

/// /proc/pressure/cpu: how long, in total, at least one runnable task waited for a CPU.
public struct CPUPressure: Sendable, Hashable {
    /// The `some` line's total, in microseconds since boot.
    public var someTotalMicroseconds: UInt64

    private static let someKey = Array("some".utf8)
    private static let totalKey = Array("total=".utf8)

    public init?(_ bytes: [UInt8]) {
        for line in bytes.split(separator: UInt8(ascii: "\n")) where line.starts(with: Self.someKey) {
            let fields = ASCIIFields.spaceSeparated(Array(line), from: 0)
            let line = Array(line)
            for field in fields where line[field].starts(with: Self.totalKey) {
                guard let total: UInt64 = ASCIIFields.integer(line[field].dropFirst(Self.totalKey.count)) else { return nil }
                someTotalMicroseconds = total
                return
            }
        }
        return nil
    }
}
