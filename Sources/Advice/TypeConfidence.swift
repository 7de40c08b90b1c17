// SPDX-License-Identifier: Apache-2.0
import Foundation

/// How sure a model was of the type it answered, from the log-probabilities of the tokens that
/// spell it. The server reports the model's own distribution before the grammar filtered it, so
/// at each of those tokens the chosen token's probability is weighed only against the
/// alternatives that could still spell an allowed answer (`"Player-V` can go on to `ideo"`, not to
/// `xyz`). The product over the type's tokens is the model's probability of this type among the
/// allowed ones, as far as the listed alternatives show (unlisted ones count as zero).
public enum TypeConfidence {
    /// The confidence a proposal carries: how sure the model was of what the program is (its
    /// reason) times how sure it was of the type given that. A small model that does not know a
    /// name still writes a fluent reason ("game") and then picks the type that follows from it with
    /// near certainty; on names it did not know, the reason's first tokens were the unsure ones
    /// (docs/BENCHMARKS.md, "Confidence"). nil when the tokens do not spell `content`.
    public static func ofAnswer(_ type: String, in content: String, tokens: [TokenLogprob], allowed: [String]) -> Double? {
        guard let typeShare = of(type, in: content, tokens: tokens, allowed: allowed) else { return nil }
        return typeShare * (ofIdentification(in: content, tokens: tokens) ?? 1)
    }

    /// The geometric mean of the probabilities of the tokens that spell the answer's `reason`.
    public static func ofIdentification(in content: String, tokens: [TokenLogprob]) -> Double? {
        guard !tokens.isEmpty, tokens.map(\.text).joined() == content else { return nil }
        let bytes = Array(content.utf8)
        guard let start = valueStart(of: "reason", in: bytes, last: false) else { return nil }
        var end = start
        while end < bytes.count, bytes[end] != UInt8(ascii: "\"") {
            end += bytes[end] == UInt8(ascii: "\\") ? 2 : 1
        }
        var sum = 0.0, count = 0, offset = 0
        for token in tokens {
            let tokenStart = offset
            offset += token.text.utf8.count
            guard offset > start, tokenStart < end else { continue }
            sum += token.logprob
            count += 1
        }
        return count == 0 ? nil : exp(sum / Double(count))
    }

    /// nil when the tokens do not spell `content`, or the type is not found in it.
    public static func of(_ type: String, in content: String, tokens: [TokenLogprob], allowed: [String]) -> Double? {
        guard !tokens.isEmpty, tokens.map(\.text).joined() == content else { return nil }
        let bytes = Array(content.utf8)
        let quote = UInt8(ascii: "\"")
        guard let valueStart = valueStart(of: "type", in: bytes, last: true) else { return nil }
        let valueEnd = valueStart + type.utf8.count
        guard valueEnd <= bytes.count, Array(bytes[valueStart..<valueEnd]) == Array(type.utf8) else { return nil }
        let answers = allowed.map { Array($0.utf8) + [quote] }
        var confidence = 1.0
        var offset = 0
        for token in tokens {
            let text = Array(token.text.utf8)
            let start = offset
            offset += text.count
            guard offset > valueStart, start < valueEnd else { continue }
            let lead = Array(text.prefix(max(0, valueStart - start)))
            let spelled = Array(bytes[valueStart..<max(start, valueStart)])
            func couldSpellAnAnswer(_ candidate: [UInt8]) -> Bool {
                guard candidate.starts(with: lead) else { return false }
                let value = spelled + candidate.dropFirst(lead.count)
                return answers.contains { $0.starts(with: value) || value.starts(with: $0) }
            }
            var mass: [String: Double] = [token.text: exp(token.logprob)]
            for alternative in token.alternatives where couldSpellAnAnswer(Array(alternative.text.utf8)) {
                mass[alternative.text] = exp(alternative.logprob)
            }
            let total = mass.values.reduce(0, +)
            guard total > 0 else { return nil }
            confidence *= exp(token.logprob) / total
        }
        return confidence
    }

    /// Where the string value of the first (or last) `"key"` starts (after its opening quote).
    static func valueStart(of key: String, in bytes: [UInt8], last: Bool) -> Int? {
        let quoted = Array("\"\(key)\"".utf8)
        guard bytes.count > quoted.count else { return nil }
        let candidates = Array(0...(bytes.count - quoted.count))
        for index in last ? candidates.reversed() : candidates where Array(bytes[index..<(index + quoted.count)]) == quoted {
            var at = index + quoted.count
            while at < bytes.count, bytes[at] == UInt8(ascii: " ") { at += 1 }
            guard at < bytes.count, bytes[at] == UInt8(ascii: ":") else { return nil }
            at += 1
            while at < bytes.count, bytes[at] == UInt8(ascii: " ") { at += 1 }
            guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") else { return nil }
            return at + 1
        }
        return nil
    }
}
