// SPDX-License-Identifier: Apache-2.0
/// The kernel's CPU list format ("0-3,8,10-11"), as sysfs writes it and catalogs use it.
public enum CPUList {
    /// "0-3,8" -> [0...3, 8...8]; nil when malformed, empty, descending or past `limit`.
    public static func ranges(_ text: String, limit: Int = Int.max) -> [ClosedRange<Int>]? {
        var ranges: [ClosedRange<Int>] = []
        let trimmed = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        for part in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
                .map { $0.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed() }.map { String($0) }
            guard (1...2).contains(bounds.count), let low = Int(bounds[0]), let high = Int(bounds[bounds.count - 1]),
                  low >= 0, low <= high, high < limit else { return nil }
            ranges.append(low...high)
        }
        return ranges.isEmpty ? nil : ranges
    }

    /// "0-3,8" -> [0, 1, 2, 3, 8].
    public static func cpus(_ text: String) -> [Int]? { ranges(text).map { $0.flatMap { Array($0) } } }

    /// [0...3, 8...8] -> "0-3,8".
    public static func text(_ ranges: [ClosedRange<Int>]) -> String {
        ranges.map { $0.lowerBound == $0.upperBound ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }
            .joined(separator: ",")
    }

    /// [0, 1, 2, 3, 8] -> "0-3,8" (consecutive runs of a sorted list).
    public static func text(_ cpus: [Int]) -> String {
        var ranges: [ClosedRange<Int>] = []
        for cpu in cpus {
            if let last = ranges.last, last.upperBound + 1 == cpu {
                ranges[ranges.count - 1] = last.lowerBound...cpu
            } else {
                ranges.append(cpu...cpu)
            }
        }
        return text(ranges)
    }
}
