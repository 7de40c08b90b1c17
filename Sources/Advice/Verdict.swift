// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A model's answer after it has been checked again in Swift.
public struct Verdict: Sendable, Hashable {
    /// A catalog type name, or nil for "unknown".
    public var type: String?
    public var reason: String
    /// How sure the model was of its answer (0..1, `TypeConfidence.ofAnswer`), from the server's token log-probabilities.
    public var confidence: Double?

    public init(type: String?, reason: String, confidence: Double? = nil) {
        self.type = type
        self.reason = reason
        self.confidence = confidence
    }
}

/// Why an answer was thrown away.
public enum DiscardReason: String, Sendable, Hashable, Codable {
    case notJSON = "not-json", unknownType = "unknown-type", missingField = "missing-field", wrongProcess = "wrong-process"
}

public enum VerdictParser {
    /// Accepts only `{"reason": <text>, "type": <allowed>}` (with `"process": name` where a batch
    /// pins it); anything else is a discard with its reason. The reason text is cut to one short line of printable characters.
    public static func parse(_ content: String, name: String, allowed: [String]) -> Result<Verdict, DiscardFailure> {
        guard let data = content.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            return .failure(DiscardFailure(reason: .notJSON, detail: String(content.prefix(80))))
        }
        return check(object, content: content, name: name, allowed: allowed)
    }

    /// `{"answers": [...]}` with one answer per name, in order.
    public static func parseBatch(_ content: String, names: [String], allowed: [String]) -> [Result<Verdict, DiscardFailure>] {
        guard let data = content.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let answers = object["answers"] as? [[String: Any]], answers.count == names.count else {
            return names.map { _ in .failure(DiscardFailure(reason: .notJSON, detail: String(content.prefix(80)))) }
        }
        return zip(answers, names).map { check($0, content: content, name: $1, allowed: allowed) }
    }

    static func check(_ object: [String: Any], content: String, name: String, allowed: [String]) -> Result<Verdict, DiscardFailure> {
        guard let type = object["type"] as? String, let reason = object["reason"] as? String else {
            return .failure(DiscardFailure(reason: .missingField, detail: String(content.prefix(80))))
        }
        if let process = object["process"] as? String, process != name {
            return .failure(DiscardFailure(reason: .wrongProcess, detail: process))
        }
        guard allowed.contains(type) else {
            return .failure(DiscardFailure(reason: .unknownType, detail: type))
        }
        return .success(Verdict(type: type == "unknown" ? nil : type, reason: sanitize(reason)))
    }

    static func sanitize(_ text: String) -> String {
        let printable = text.unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: printable)
        let line = String(view).trimmingCharacters(in: .whitespaces)
        return line.isEmpty ? "no reason given" : String(line.prefix(160))
    }
}

public struct DiscardFailure: Error, Sendable, Hashable {
    public var reason: DiscardReason
    public var detail: String
}
