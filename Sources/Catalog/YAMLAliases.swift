// SPDX-License-Identifier: Apache-2.0
import CYaml
import LinuxSystem

/// A catalog has no use for YAML anchors (`&name`) and aliases (`*name`), and they amplify: an
/// alias re-reads a whole subtree, so a small file that nests aliases expands to gigabytes in
/// whoever walks or prints the tree (and hashing an alias used as a mapping key expands already
/// while composing). They are refused before the document is composed.
enum YAMLAliases {
    struct Found {
        var position: FilePosition
        /// "anchor" or "alias".
        var kind: String
        var name: String
    }

    /// The first anchor or alias token of `text`, found by libyaml's scanner (the tokens the
    /// composer would see: `&` and `*` inside quoted strings, block scalars or comments are not
    /// tokens). Linear in the text; nothing is expanded. nil when there is none, or when the text
    /// is malformed before the first one (composing then reports that error).
    static func first(in text: String) -> Found? {
        // fast path: neither indicator anywhere
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "*") }) else { return nil }
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { buffer -> Found? in
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else { return nil }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var token = yaml_token_t()
            while yaml_parser_scan(&parser, &token) == 1 {
                defer { yaml_token_delete(&token) }
                let position = FilePosition(line: Int(token.start_mark.line) + 1, column: Int(token.start_mark.column) + 1)
                switch token.type {
                case YAML_ANCHOR_TOKEN:
                    return Found(position: position, kind: "anchor", name: name(token.data.anchor.value))
                case YAML_ALIAS_TOKEN:
                    return Found(position: position, kind: "alias", name: name(token.data.alias.value))
                case YAML_STREAM_END_TOKEN:
                    return nil
                default:
                    continue
                }
            }
            return nil
        }
    }

    private static func name(_ value: UnsafeMutablePointer<yaml_char_t>?) -> String {
        guard let value else { return "" }
        let text = String(cString: value)
        return (text.count > 40 ? String(text.prefix(40)) + "…" : text).escapedForTerminal
    }
}
