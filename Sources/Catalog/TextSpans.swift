// SPDX-License-Identifier: Apache-2.0
import Yams

/// Where a rule's keys and values sit in the catalog text, in Unicode-scalar offsets.
struct RuleSpan {
    struct Pair {
        var key: String
        var keyStart: Int
        var valueStart: Int
        var valueEnd: Int
    }
    var start: Int
    var isFlow: Bool
    var pairs: [Pair]
    /// Offset just after the mapping (after `}` for flow mappings, after the last value otherwise).
    var end: Int
}

/// The catalog text as scalars, with helpers to find the extent of YAML values.
struct ScalarText {
    var scalars: [Unicode.Scalar]
    private var lineStarts: [Int]

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
        lineStarts = [0]
        for (index, scalar) in scalars.enumerated() where scalar == "\n" {
            lineStarts.append(index + 1)
        }
    }

    var string: String {
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars)
        return String(out)
    }

    func offset(_ mark: Mark) -> Int {
        min(lineStarts[min(mark.line, lineStarts.count) - 1] + mark.column - 1, scalars.count)
    }

    func lineStart(_ offset: Int) -> Int {
        var index = offset
        while index > 0 && scalars[index - 1] != "\n" { index -= 1 }
        return index
    }

    /// Offset of the `\n` ending the line that contains `offset` (or the text's end).
    func lineEnd(_ offset: Int) -> Int {
        var index = offset
        while index < scalars.count && scalars[index] != "\n" { index += 1 }
        return index
    }

    /// The offset just after the YAML value starting at `start`.
    func valueEnd(from start: Int, inFlow: Bool) -> Int {
        guard start < scalars.count else { return start }
        switch scalars[start] {
        case "\"":
            var index = start + 1
            while index < scalars.count {
                if scalars[index] == "\\" { index += 2; continue }
                if scalars[index] == "\"" { return index + 1 }
                index += 1
            }
            return scalars.count
        case "'":
            var index = start + 1
            while index < scalars.count {
                if scalars[index] == "'" {
                    if index + 1 < scalars.count && scalars[index + 1] == "'" { index += 2; continue }
                    return index + 1
                }
                index += 1
            }
            return scalars.count
        case "[", "{":
            return bracketEnd(from: start)
        default:
            var index = start
            while index < scalars.count {
                let scalar = scalars[index]
                if scalar == "\n" { break }
                if inFlow && (scalar == "," || scalar == "}" || scalar == "]") { break }
                if scalar == "#" && index > start && (scalars[index - 1] == " " || scalars[index - 1] == "\t") { break }
                index += 1
            }
            while index > start && (scalars[index - 1] == " " || scalars[index - 1] == "\t" || scalars[index - 1] == "\r") {
                index -= 1
            }
            return index
        }
    }

    /// The offset after the bracket that closes the one at `start`, skipping quoted text.
    func bracketEnd(from start: Int) -> Int {
        var depth = 0
        var index = start
        while index < scalars.count {
            switch scalars[index] {
            case "[", "{": depth += 1
            case "]", "}":
                depth -= 1
                if depth == 0 { return index + 1 }
            case "\"", "'":
                index = valueEnd(from: index, inFlow: true) - 1
            case "#" where index > 0 && scalars[index - 1] == " ":
                index = lineEnd(index) - 1
            default: break
            }
            index += 1
        }
        return scalars.count
    }

    /// Spans of every rule mapping under the top-level `rules:` sequence.
    func ruleSpans(root: Node) -> [RuleSpan] {
        guard case .mapping(let top) = root,
              let rules = top.first(where: { $0.key.string == "rules" })?.value,
              case .sequence(let sequence) = rules else { return [] }
        return sequence.compactMap { item -> RuleSpan? in
            guard case .mapping(let mapping) = item, let mark = item.mark else { return nil }
            let start = offset(mark)
            let isFlow = scalars[start] == "{"
            let pairs = mapping.compactMap { key, value -> RuleSpan.Pair? in
                guard let keyMark = key.mark, let valueMark = value.mark else { return nil }
                let valueStart = offset(valueMark)
                return RuleSpan.Pair(key: key.string ?? "", keyStart: offset(keyMark), valueStart: valueStart,
                                     valueEnd: valueEnd(from: valueStart, inFlow: isFlow))
            }
            let end = isFlow ? bracketEnd(from: start) : (pairs.last?.valueEnd ?? start)
            return RuleSpan(start: start, isFlow: isFlow, pairs: pairs, end: end)
        }
    }
}
