// SPDX-License-Identifier: Apache-2.0
import Yams

/// A catalog file as text plus its parsed form. Changes patch the text — single values,
/// added keys, appended rules — so a person's comments, layout and order survive; only the
/// parts schedcat changes are rewritten.
public struct CatalogDocument: Sendable {
    public let file: String
    public private(set) var text: String
    public private(set) var catalog: Catalog
    private var pending: [(range: Range<Int>, replacement: String)] = []
    private var appended: [Rule] = []

    /// Parses `text`; throws `CatalogInvalid` when it has errors.
    public init(text: String, file: String) throws {
        self.file = file
        self.text = text
        let (catalog, diagnostics, _) = CatalogParser.parseKeepingTree(text, file: file)
        guard let catalog, !diagnostics.contains(where: { $0.severity == .error }) else {
            throw CatalogInvalid(diagnostics)
        }
        self.catalog = catalog
    }

    /// The text a new catalog starts from: the schema line and an empty rule list
    /// (types are inherited from the defaults).
    public static let newFileText = "# schedcat catalog: types come from catalogs/default-types.yaml unless defined here.\nschema: \(catalogSchema)\nrules: []\n"

    public var hasChanges: Bool { !pending.isEmpty || !appended.isEmpty }

    /// Changes rule `index` to `newRule`: every key whose value differs is rewritten in place,
    /// new keys are added after the rule's last key, dropped keys are removed.
    public mutating func replaceRule(at index: Int, with newRule: Rule) {
        let old = CatalogWriter.rulePairs(catalog.rules[index])
        let new = CatalogWriter.rulePairs(newRule)
        let oldValues = Dictionary(old, uniquingKeysWith: { first, _ in first })
        let newValues = Dictionary(new, uniquingKeysWith: { first, _ in first })
        guard let span = spans()[safe: index] else { return }
        let scalars = ScalarText(text)
        var additions: [(String, String)] = []
        for (key, value) in new where oldValues[key] != value {
            if let pair = span.pairs.first(where: { $0.key == key }) {
                pending.append((pair.valueStart..<pair.valueEnd, value))
            } else {
                additions.append((key, value))
            }
        }
        for (position, pair) in span.pairs.enumerated() where newValues[pair.key] == nil && oldValues[pair.key] != nil {
            pending.append((removalRange(span, position, scalars), ""))
        }
        if !additions.isEmpty, let last = span.pairs.last {
            if span.isFlow {
                let text = additions.map { ", \($0.0): \($0.1)" }.joined()
                pending.append((last.valueEnd..<last.valueEnd, text))
            } else {
                let indent = String(repeating: " ", count: blockIndent(span, scalars))
                let insertAt = scalars.lineEnd(last.valueEnd)
                pending.append((insertAt..<insertAt, additions.map { "\n\(indent)\($0.0): \($0.1)" }.joined()))
            }
        }
    }

    /// Removes rule `index` with its line (block sequences) or its entry (flow sequences).
    public mutating func removeRule(at index: Int) {
        let all = spans()
        guard let span = all[safe: index] else { return }
        let scalars = ScalarText(text)
        var before = span.start - 1
        while before > 0 && (scalars.scalars[before] == " " || scalars.scalars[before] == "\t") { before -= 1 }
        if before >= 0 && scalars.scalars[before] == "-" {
            let start = scalars.lineStart(before)
            pending.append((start..<min(scalars.lineEnd(span.end) + 1, scalars.scalars.count), ""))
        } else if index > 0 {
            pending.append((all[index - 1].end..<span.end, ""))
        } else {
            pending.append((span.start..<(all[safe: 1]?.start ?? span.end), ""))
        }
    }

    /// Adds rules after the last rule of the file, in schedcat's one-line form.
    public mutating func append(_ rules: [Rule]) {
        appended += rules
    }

    /// Applies the pending changes, re-parses and validates. Throws `CatalogInvalid` (and keeps
    /// the document unchanged) if the result would be invalid.
    public mutating func commit() throws {
        guard hasChanges else { return }
        var scalars = ScalarText(text).scalars
        var edits = pending
        if !appended.isEmpty { edits.append(appendEdit(appended)) }
        for edit in edits.sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) {
            scalars.replaceSubrange(edit.range, with: Array(edit.replacement.unicodeScalars))
        }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        let updated = try CatalogDocument(text: String(view), file: file)
        self = updated
    }

    // MARK: text positions

    private func spans() -> [RuleSpan] {
        let (_, _, root) = CatalogParser.parseKeepingTree(text, file: file)
        guard let root else { return [] }
        return ScalarText(text).ruleSpans(root: root)
    }

    private func removalRange(_ span: RuleSpan, _ position: Int, _ scalars: ScalarText) -> Range<Int> {
        let pair = span.pairs[position]
        if position == 0 {
            let next = span.pairs.count > 1 ? span.pairs[1].keyStart : pair.valueEnd
            return pair.keyStart..<next
        }
        if span.isFlow {
            return span.pairs[position - 1].valueEnd..<pair.valueEnd
        }
        let start = scalars.lineStart(pair.keyStart)
        let end = min(scalars.lineEnd(pair.valueEnd) + 1, scalars.scalars.count)
        return start..<end
    }

    private func blockIndent(_ span: RuleSpan, _ scalars: ScalarText) -> Int {
        let key = span.pairs.count > 1 ? span.pairs[1].keyStart : span.pairs[0].keyStart
        return key - scalars.lineStart(key)
    }

    /// One edit that adds `rules` at the end of the `rules:` sequence, whatever its form.
    private func appendEdit(_ rules: [Rule]) -> (range: Range<Int>, replacement: String) {
        let scalars = ScalarText(text)
        let count = scalars.scalars.count
        let (_, _, root) = CatalogParser.parseKeepingTree(text, file: file)
        let lines = { (prefix: String) in rules.map { prefix + YAMLText.flowMapping(CatalogWriter.rulePairs($0)) } }
        guard case .mapping(let top)? = root,
              let entry = top.first(where: { $0.key.string == "rules" }), let keyMark = entry.key.mark else {
            let newline = text.hasSuffix("\n") || text.isEmpty ? "" : "\n"
            return (count..<count, newline + "rules:\n" + lines("  - ").joined(separator: "\n") + "\n")
        }
        switch entry.value {
        case .sequence(let sequence) where !sequence.isEmpty:
            let spans = scalars.ruleSpans(root: root!)
            guard let last = spans.last else { break }
            let dash = dashOffset(before: last.start, scalars)
            let prefix = String(String.UnicodeScalarView(scalars.scalars[scalars.lineStart(dash)..<dash])) + "- "
            if let valueMark = entry.value.mark, scalars.scalars[scalars.offset(valueMark)] == "[" {
                let items = rules.map { ", " + YAMLText.flowMapping(CatalogWriter.rulePairs($0)) }.joined()
                return (last.end..<last.end, items)
            }
            let at = scalars.lineEnd(last.end)
            return (at..<at, "\n" + lines(prefix).joined(separator: "\n"))
        default:
            break
        }
        // `rules: []`, `rules:` (null) or an empty sequence: write the block under the key.
        let keyOffset = scalars.offset(keyMark)
        let keyLineEnd = scalars.lineEnd(keyOffset)
        let block = "\n" + lines("  - ").joined(separator: "\n")
        if let valueMark = entry.value.mark, case let valueStart = scalars.offset(valueMark),
           valueStart < keyLineEnd, scalars.scalars[valueStart] == "[" {
            // keep a comment after `[]` on the key's line
            let keyEnd = keyOffset + "rules:".unicodeScalars.count
            let rest = String(String.UnicodeScalarView(scalars.scalars[scalars.bracketEnd(from: valueStart)..<keyLineEnd]))
            return (keyEnd..<keyLineEnd, (rest.allSatisfy { $0 == " " } ? "" : rest) + block)
        }
        return (keyLineEnd..<keyLineEnd, block)
    }

    private func dashOffset(before start: Int, _ scalars: ScalarText) -> Int {
        var index = start - 1
        while index > 0 && scalars.scalars[index] != "-" && scalars.scalars[index] != "\n" { index -= 1 }
        return scalars.scalars[index] == "-" ? index : start
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
