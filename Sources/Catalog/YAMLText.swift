// SPDX-License-Identifier: Apache-2.0
import LinuxSystem

/// Small YAML emitting helpers for the catalog's own line-oriented layout.
public enum YAMLText {
    /// A scalar as plain text when that reads back unchanged, else double-quoted with escapes.
    public static func scalar(_ text: String) -> String {
        if isPlainSafe(text) { return text }
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                // a catalog is read with cat and less too: nothing that reorders a line stays raw
                if scalar.disturbsDisplay {
                    out += scalar.value <= 0xff ? "\\x" + hex(scalar.value, 2) : "\\u" + hex(scalar.value, 4)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    public static func flowList(_ items: [String]) -> String {
        "[" + items.map(scalar).joined(separator: ", ") + "]"
    }

    /// `{ k: v, ... }` with every value already rendered.
    public static func flowMapping(_ pairs: [(String, String)]) -> String {
        "{ " + pairs.map { "\($0.0): \($0.1)" }.joined(separator: ", ") + " }"
    }

    private static let reservedWords: Set<String> = ["true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"]

    private static func isPlainSafe(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, !reservedWords.contains(text.lowercased()) else { return false }
        let allowed = { (c: Unicode.Scalar) -> Bool in
            (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || "_-./+@=".unicodeScalars.contains(c)
        }
        let firstOK = (first >= "a" && first <= "z") || (first >= "A" && first <= "Z") || first == "_" || first == "/"
        return firstOK && text.unicodeScalars.allSatisfy(allowed)
    }

    private static func hex(_ value: UInt32, _ width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
