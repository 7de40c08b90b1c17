// SPDX-License-Identifier: Apache-2.0
import Foundation
import LinuxSystem
import Yams

/// `/etc/schedcat/config.yaml`: defaults for every command; flags and environment win over it.
public struct SchedcatConfig: Sendable, Equatable {
    public enum Backend: String, Sendable, CaseIterable { case apply, scheduler }
    public enum AdvisorKind: String, Sendable, CaseIterable { case model, heuristic }

    /// What the daemon may accept on its own; anything else stays `proposed` for a person.
    public struct AutoAccept: Sendable, Equatable {
        public var heuristic = false
        public var model = false
        /// Model proposals that would boost (nice < 0, ...) are never auto-accepted unless this is set.
        public var modelBoosts = false
        public init() {}
    }

    public var endpoint: String?
    public var model: String?
    public var catalog: String?
    public var interval: Duration = .seconds(15 * 60)
    public var backend: Backend = .apply
    public var concurrency = 1
    /// How sure the model must be of a boost or a demotion (0...1); below it the proposal is the
    /// neutral type with the model's answer in its reason.
    public var minimumConfidence = 0.5
    /// Who proposes rules in the daemon: the model (skipped, and retried next tick, while it is
    /// unreachable) or the offline heuristics.
    public var advisor: AdvisorKind = .model
    public var autoAccept = AutoAccept()
    /// Seconds one model request may take per attempt (all attempts of one request: at most twice
    /// this); nil: the client's default.
    public var timeout: Double?

    public init() {}

    public static let defaultPath = "/etc/schedcat/config.yaml"

    /// Reads `path`; a missing file at the default path means "all defaults", and so does
    /// `/dev/null`. The config names the catalog and what the daemon may accept on its own, so
    /// it is read like a catalog: one descriptor, no symlink, a regular file owned by root or
    /// the caller and not world-writable.
    public static func load(_ path: String?) throws -> SchedcatConfig {
        let file = path ?? defaultPath
        if file == "/dev/null" { return SchedcatConfig() }
        let bytes: [UInt8]
        do {
            bytes = try PolicyFileReader.read(file, trusted: true)
        } catch .system(let error) where error.code == ENOENT {
            if path != nil { throw ConfigError(file: file, line: nil, message: "no such file") }
            return SchedcatConfig()
        } catch {
            throw ConfigError(file: file, line: nil, message: error.reason)
        }
        return try parse(String(decoding: bytes, as: UTF8.self), file: file)
    }

    public static func parse(_ text: String, file: String) throws -> SchedcatConfig {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw ConfigError(file: file, line: nil, message: "malformed YAML: \(error)")
        }
        var config = SchedcatConfig()
        guard let node else { return config }
        guard case .mapping(let mapping) = node else {
            throw ConfigError(file: file, line: node.mark?.line, message: "expected a mapping of settings")
        }
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            let fail = { (message: String) in ConfigError(file: file, line: value.mark?.line, message: "'\(key)': \(message)") }
            switch key {
            case "endpoint": config.endpoint = value.string
            case "model": config.model = value.string
            case "catalog": config.catalog = value.string
            case "interval":
                guard let text = value.string, let duration = parseDuration(text) else { throw fail("a duration like 90s, 15m or 1h") }
                config.interval = duration
            case "backend":
                guard let backend = value.string.flatMap(Backend.init(rawValue:)) else { throw fail("apply or scheduler") }
                config.backend = backend
            case "advisor":
                guard let kind = value.string.flatMap(AdvisorKind.init(rawValue:)) else { throw fail("model or heuristic") }
                config.advisor = kind
            case "timeout":
                guard let text = value.string, let duration = parseDuration(text) else {
                    throw fail("a duration like 30s or 2m (per model request attempt)")
                }
                config.timeout = Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
            case "concurrency":
                guard let number = value.string.flatMap(Int.init), (1...64).contains(number) else { throw fail("an integer 1..64") }
                config.concurrency = number
            case "min_confidence":
                guard let number = value.string.flatMap(Double.init), (0...1).contains(number) else { throw fail("a number 0..1") }
                config.minimumConfidence = number
            case "auto_accept":
                guard case .mapping(let fields) = value else { throw fail("a mapping such as { heuristic: false, model: true }") }
                for (fieldNode, fieldValue) in fields {
                    guard let flag = fieldValue.bool else { throw fail("'\(fieldNode.string ?? "")' must be true or false") }
                    switch fieldNode.string {
                    case "heuristic": config.autoAccept.heuristic = flag
                    case "model": config.autoAccept.model = flag
                    case "model_boosts": config.autoAccept.modelBoosts = flag
                    default: throw fail("unknown key '\(fieldNode.string ?? "")' (heuristic, model, model_boosts)")
                    }
                }
            default:
                throw ConfigError(file: file, line: keyNode.mark?.line,
                                  message: "unknown setting '\(key)' (endpoint, model, timeout, catalog, interval, backend, advisor, concurrency, min_confidence, auto_accept)")
            }
        }
        return config
    }

    /// "90s", "15m", "1h", "500ms" or plain seconds.
    public static func parseDuration(_ text: String) -> Duration? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            guard let value = Double(text.dropLast(suffix.count)), value > 0 else { return nil }
            return .milliseconds(Int64(value * scale * 1000))
        }
        return Double(text).flatMap { $0 > 0 ? .milliseconds(Int64($0 * 1000)) : nil }
    }
}

public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var message: String
    public var description: String { "\(file)\(line.map { ":\($0)" } ?? ""): \(message)" }
}
