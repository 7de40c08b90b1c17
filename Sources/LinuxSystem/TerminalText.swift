// SPDX-License-Identifier: Apache-2.0
extension String {
    /// The text with every control character written as a visible escape, for human-readable
    /// output of text a process or a file controls (process names, cmdlines, cgroup paths, rule
    /// names, a model's answers). A process names itself: raw, its ESC, BEL, CR or newline would
    /// drive the terminal or forge lines of a log. JSON output does not need this (the encoder
    /// escapes control characters) and stays exact.
    ///
    /// Escaped: C0 controls (`\0 \a \b \t \n \v \f \r \e`, others as `\x01`), DEL (`\x7f`), C1
    /// controls (`\x85`), and the Unicode line/paragraph separators and bidirectional overrides
    /// (`\u{202e}`) that reorder or break a displayed line. Everything else, backslashes included,
    /// is kept as it is, so escaping twice changes nothing.
    public var escapedForTerminal: String {
        guard unicodeScalars.contains(where: Self.needsEscape) else { return self }
        var out = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            guard Self.needsEscape(scalar) else {
                out.append(scalar)
                continue
            }
            out.append(contentsOf: Self.escape(scalar).unicodeScalars)
        }
        return String(out)
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool { scalar.disturbsDisplay }

    private static func escape(_ scalar: Unicode.Scalar) -> String {
        switch scalar.value {
        case 0x00: return "\\0"
        case 0x07: return "\\a"
        case 0x08: return "\\b"
        case 0x09: return "\\t"
        case 0x0A: return "\\n"
        case 0x0B: return "\\v"
        case 0x0C: return "\\f"
        case 0x0D: return "\\r"
        case 0x1B: return "\\e"
        case let value where value <= 0xFF:
            let hex = String(value, radix: 16)
            return "\\x" + (hex.count < 2 ? "0" + hex : hex)
        case let value:
            return "\\u{" + String(value, radix: 16) + "}"
        }
    }
}

extension Unicode.Scalar {
    /// Control characters (C0, DEL, C1) and the Unicode line/paragraph separators and
    /// bidirectional controls that break or reorder a displayed line: what a terminal, a log
    /// or a text file must never show raw from text a process controls.
    public var disturbsDisplay: Bool {
        switch value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C, 0xFEFF: true
        default: false
        }
    }
}
