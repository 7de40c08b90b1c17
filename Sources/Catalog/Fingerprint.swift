// SPDX-License-Identifier: Apache-2.0
/// A short hash of what schedcat wrote for a rule. When a rule's `fp` no longer matches its
/// content, a person has edited it: schedcat then treats it as `source: human`.
public enum RuleFingerprint {
    public static func of(_ rule: Rule) -> String {
        // one part per condition kind, present or not, so fingerprints written earlier still hold
        var parts = [rule.name] + RuleCondition.Kind.allCases.map { rule.identity.condition($0)?.fingerprintText ?? "" }
        parts += [rule.type ?? "", rule.status.rawValue, rule.source.rawValue, rule.model ?? "", rule.reason ?? "",
                  rule.matchTruncated ? "" : "exact"]
        parts += rule.overrides.keyValues.map { "\($0.key)=\($0.value)" }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in parts.joined(separator: "\u{0}").utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// True when the rule carries a fingerprint that its content no longer matches.
    public static func wasEditedByHand(_ rule: Rule) -> Bool {
        guard let stored = rule.fingerprint else { return false }
        return stored != of(rule)
    }

    /// The rule with a fresh fingerprint, as schedcat writes it.
    public static func stamped(_ rule: Rule) -> Rule {
        var copy = rule
        copy.fingerprint = of(rule)
        return copy
    }
}
