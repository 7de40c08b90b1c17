// SPDX-License-Identifier: Apache-2.0
import Foundation

/// How sure a model was of the type it answered, from the log-probabilities of the tokens that
/// spell it. The server reports the model's own distribution before the grammar filtered it, so
/// at each of those tokens the chosen token's probability is weighed only against the
/// alternatives that could still spell an allowed answer (`"Player-V` can go on to `ideo"`, not to
/// `xyz`). The product over the type's tokens is the model's probability of this type among the
/// allowed ones, as far as the listed alternatives show (unlisted ones count as zero).
public enum TypeConfidence {
    /// nil when the tokens do not spell `content`, or the type is not found in it.
    public static func of(_ type: String, in content: String, tokens: [TokenLogprob], allowed: [String]) -> Double? {
        guard !tokens.isEmpty, tokens.map(\.text).joined() == content else { return nil }
        let bytes = Array(content.utf8)
        let quote = UInt8(ascii: "\"")
        guard let valueStart = typeValueStart(bytes) else { return nil }
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

    /// Where the value of the last `"type"` key starts (after its opening quote).
    static func typeValueStart(_ bytes: [UInt8]) -> Int? {
        let key = Array("\"type\"".utf8)
        guard bytes.count > key.count else { return nil }
        var index = bytes.count - key.count
        while index >= 0 {
            if Array(bytes[index..<(index + key.count)]) == key {
                var at = index + key.count
                while at < bytes.count, bytes[at] == UInt8(ascii: " ") { at += 1 }
                guard at < bytes.count, bytes[at] == UInt8(ascii: ":") else { return nil }
                at += 1
                while at < bytes.count, bytes[at] == UInt8(ascii: " ") { at += 1 }
                guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") else { return nil }
                return at + 1
            }
            index -= 1
        }
        return nil
    }
}
