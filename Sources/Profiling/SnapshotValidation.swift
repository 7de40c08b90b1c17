// SPDX-License-Identifier: Apache-2.0
import Foundation

extension Snapshot {
    /// What is wrong with the values (the JSON structure being right); empty when nothing is.
    public func problems() -> [String] {
        var problems: [String] = []
        if !(windowSeconds.isFinite && windowSeconds > 0) { problems.append("window_s must be a positive number, not \(windowSeconds)") }
        if host.cpus < 1 { problems.append("host.cpus must be at least 1, not \(host.cpus)") }
        var seen = Set<String>()
        for (index, record) in processes.enumerated() {
            let at = "processes[\(index)] (pid \(record.pid))"
            if record.pid <= 0 { problems.append("\(at): pid must be positive") }
            if record.ppid < 0 { problems.append("\(at): ppid must not be negative") }
            if record.threads < 0 { problems.append("\(at): threads must not be negative") }
            if record.rssKiB < 0 { problems.append("\(at): rss_kib must not be negative") }
            let rates: [(String, Double?)] = [
                ("cpu_percent", record.cpuPercent), ("voluntary_switches_per_s", record.voluntarySwitchesPerSecond),
                ("involuntary_switches_per_s", record.involuntarySwitchesPerSecond),
                ("read_bytes_per_s", record.readBytesPerSecond), ("write_bytes_per_s", record.writeBytesPerSecond),
            ]
            for (name, value) in rates {
                if let value, !(value.isFinite && value >= 0) { problems.append("\(at): \(name) must be a number >= 0, not \(value)") }
            }
            if !seen.insert("\(record.pid)/\(record.startTime.map(String.init) ?? "-")").inserted {
                problems.append("\(at): the same process (pid and start_time) appears twice")
            }
        }
        return problems
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            let text = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.hasPrefix(".") ? String(text.dropFirst()) : (text.isEmpty ? "top level" : text)
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = path(context.codingPath)
            return "missing key '\(key.stringValue)'" + (context.codingPath.isEmpty ? "" : " in \(parent)")
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)): expected \(typeName(type))"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)): expected \(typeName(type)), found null"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "not valid JSON (\(context.underlyingError.map { "\($0)" } ?? context.debugDescription))" }
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is Double.Type: return "a number"
        case is Int.Type, is Int32.Type, is Int64.Type, is UInt32.Type, is UInt64.Type: return "an integer"
        case is [Any].Type: return "an array"
        default: return "\(type)"
        }
    }
}
