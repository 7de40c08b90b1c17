// SPDX-License-Identifier: Apache-2.0
import Yams

/// Reads catalog YAML into a `Catalog`, collecting every problem with its file:line:col.
public struct CatalogParser {
    public let file: String
    private let defaults: [CatalogType]
    private var diagnostics: [Diagnostic] = []
    /// The composed YAML tree of the last parse, for text patching (see CatalogDocument).
    private(set) var root: Node?

    /// `defaults`: the types a catalog inherits (normally `DefaultTypes.all`).
    public init(file: String, defaults: [CatalogType]) {
        self.file = file
        self.defaults = defaults
    }

    /// Parses and validates; returns the catalog and all diagnostics (errors and warnings).
    /// The catalog is nil when the YAML itself could not be read.
    public static func parse(_ text: String, file: String, defaults: [CatalogType] = DefaultTypes.all)
        -> (catalog: Catalog?, diagnostics: [Diagnostic]) {
        var parser = CatalogParser(file: file, defaults: defaults)
        let catalog = parser.run(text)
        return (catalog, parser.diagnostics)
    }

    /// Parses, validates and throws `CatalogInvalid` when there is any error.
    public static func load(_ text: String, file: String, defaults: [CatalogType] = DefaultTypes.all) throws -> Catalog {
        let (catalog, diagnostics) = parse(text, file: file, defaults: defaults)
        guard let catalog, !diagnostics.contains(where: { $0.severity == .error }) else {
            throw CatalogInvalid(diagnostics)
        }
        return catalog
    }

    /// Like `parse`, also returning the composed YAML tree.
    static func parseKeepingTree(_ text: String, file: String) -> (catalog: Catalog?, diagnostics: [Diagnostic], root: Node?) {
        var parser = CatalogParser(file: file, defaults: DefaultTypes.all)
        let catalog = parser.run(text)
        return (catalog, parser.diagnostics, parser.root)
    }

    private mutating func run(_ text: String) -> Catalog? {
        if let found = YAMLAliases.first(in: text) {
            let written = (found.kind == "anchor" ? "&" : "*") + found.name
            diagnostics.append(Diagnostic(.error, file: file, at: found.position,
                                          "YAML \(found.kind) '\(written)': anchors and aliases are not allowed in a catalog " +
                                          "(they can expand a small file without bound); write the value out"))
            return nil
        }
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            diagnostics.append(yamlDiagnostic(error))
            return nil
        }
        guard let root, case .mapping(let top) = root else {
            error(at: root?.mark, nil, "a catalog is a YAML mapping with 'schema', 'types' and 'rules'")
            return nil
        }
        var fileTypes: [CatalogType] = []
        var rules: [Rule] = []
        var sawSchema = false
        for (keyNode, value) in top {
            let key = keyNode.string ?? ""
            switch key {
            case "schema":
                sawSchema = true
                if value.string != catalogSchema {
                    error(at: value.mark, key, "expected '\(catalogSchema)', found '\(value.string ?? "?")'")
                }
            case "types":
                fileTypes = parseTypes(value)
            case "rules":
                rules = parseRules(value)
            default:
                error(at: keyNode.mark, key, "unknown top-level key (expected schema, types, rules)\(suggestion(key, in: ["schema", "types", "rules"]))")
            }
        }
        if !sawSchema {
            error(at: root.mark, "schema", "missing; the first line should be 'schema: \(catalogSchema)'")
        }
        var catalog = Catalog(types: defaults + fileTypes, rules: rules, fileTypeNames: Set(fileTypes.map(\.name)))
        catalog.typeOrder = defaults.map(\.name) + fileTypes.map(\.name).filter { name in !defaults.contains { $0.name == name } }
        diagnostics += CatalogValidator(file: file).check(catalog)
        return catalog
    }

    // MARK: types

    private mutating func parseTypes(_ node: Node) -> [CatalogType] {
        if case .scalar(let scalar) = node, scalar.string.isEmpty || scalar.tag == .init(.null) { return [] }
        guard case .mapping(let mapping) = node else {
            error(at: node.mark, "types", "must be a mapping from type name to its values")
            return []
        }
        var types: [CatalogType] = []
        for (nameNode, body) in mapping {
            guard let name = nameNode.string, !name.isEmpty else {
                error(at: nameNode.mark, "types", "a type needs a name")
                continue
            }
            guard case .mapping(let fields) = body else {
                error(at: body.mark, name, "a type is a mapping of keys such as nice, ioclass, sched")
                continue
            }
            var values = SchedValues()
            var description: String?
            for (keyNode, value) in fields {
                let key = keyNode.string ?? ""
                if key == "description" {
                    description = value.string
                } else if SchedValues.keys.contains(key) {
                    parseValue(key, value, into: &values, ruleContext: false)
                } else {
                    error(at: keyNode.mark, key, "unknown key in type '\(name)'\(suggestion(key, in: SchedValues.keys.union(["description"])))")
                }
            }
            types.append(CatalogType(name: name, values: values, description: description))
        }
        return types
    }

    // MARK: rules

    private mutating func parseRules(_ node: Node) -> [Rule] {
        if case .scalar(let scalar) = node, scalar.string.isEmpty || scalar.tag == .init(.null) { return [] }
        guard case .sequence(let sequence) = node else {
            error(at: node.mark, "rules", "must be a list of rules ('- name: ...')")
            return []
        }
        return sequence.compactMap { parseRule($0) }
    }

    private mutating func parseRule(_ node: Node) -> Rule? {
        guard case .mapping(let fields) = node else {
            error(at: node.mark, "rules", "each rule is a mapping with at least 'name' and 'type'")
            return nil
        }
        let location = node.mark.map { FilePosition(line: $0.line, column: $0.column) }
        var rule = Rule(identity: RuleIdentity(name: ""), type: nil, location: location)
        var sawName = false
        for (keyNode, value) in fields {
            let key = keyNode.string ?? ""
            switch key {
            case "name":
                sawName = true
                rule.identity.name = value.string ?? ""
                checkName(rule.identity.name, at: value.mark)
            case "type":
                rule.type = value.string
            case "status":
                rule.status = parseEnum(value, key) ?? rule.status
            case "source":
                rule.source = parseEnum(value, key) ?? rule.source
            case "model": rule.model = value.string
            case "reason": rule.reason = value.string
            case "confidence":
                if let text = value.string, let confidence = Double(text), (0...1).contains(confidence) {
                    rule.confidence = confidence
                } else {
                    error(at: value.mark, key, "must be a number in 0..1")
                }
            case "fp": rule.fingerprint = value.string
            case "seen":
                if let seen = value.string, isDate(seen) {
                    rule.seen = seen
                } else {
                    error(at: value.mark, key, "must be a date YYYY-MM-DD")
                }
            case "match_truncated":
                switch value.string {
                case "true": rule.matchTruncated = true
                case "false": rule.matchTruncated = false
                default: error(at: value.mark, key, "must be true or false")
                }
            default:
                if let kind = RuleCondition.Kind(rawValue: key) {
                    switch RuleCondition.parse(kind, value) {
                    case .success(let condition): rule.identity.set(condition)
                    case .failure(let problem): error(at: value.mark, key, problem.message)
                    }
                } else if SchedValues.keys.contains(key) {
                    parseValue(key, value, into: &rule.overrides, ruleContext: true)
                } else {
                    error(at: keyNode.mark, key, "unknown key in rule\(suggestion(key, in: Rule.keys))")
                }
            }
        }
        if !sawName {
            error(at: node.mark, "name", "a rule needs a name (the process name it matches)")
        }
        if rule.type == nil && rule.overrides.isEmpty && rule.status != .rejected {
            error(at: node.mark, "type", "rule '\(rule.name)' has neither a type nor any value")
        }
        return rule
    }

    private mutating func checkName(_ name: String, at mark: Mark?) {
        if let problem = Self.nameProblem(name) { error(at: mark, "name", problem) }
    }

    /// Why `name` cannot be a rule's name (empty, or a path), nil when it can. A process may
    /// call itself anything, so proposals check this before they are written.
    public static func nameProblem(_ name: String) -> String? {
        if name.isEmpty { return "must not be empty" }
        if name.contains("/") || name.contains("\0") { return "is a process name, not a path (use 'exe:' for a path)" }
        return nil
    }

    // MARK: values

    private mutating func parseValue(_ key: String, _ node: Node, into values: inout SchedValues, ruleContext: Bool) {
        switch key {
        case "nice": values.nice = parseInt(node, key, -20...19)
        case "latency_nice": values.latencyNice = parseInt(node, key, -20...19)
        case "ionice": values.ionice = parseInt(node, key, 0...7)
        case "oom_score_adj": values.oomScoreAdj = parseInt(node, key, -1000...1000)
        case "ioclass": values.ioclass = parseEnum(node, key)
        case "sched":
            if node.string == "realtime" || node.string == "rr" || node.string == "fifo" {
                error(at: node.mark, key, "realtime scheduling is never set from a catalog (use normal, batch or idle)")
            } else {
                values.sched = parseEnum(node, key)
            }
        case "cpus":
            if let text = node.string, let spec = CPUSpec.parse(text) {
                values.cpus = spec
            } else {
                error(at: node.mark, key, "must be all, performance, efficiency or a CPU list like \"0-3,8\"")
            }
        default: break
        }
    }

    private mutating func parseInt(_ node: Node, _ key: String, _ range: ClosedRange<Int>) -> Int? {
        guard let text = node.string, let value = Int(text) else {
            error(at: node.mark, key, "must be an integer in \(range.lowerBound)..\(range.upperBound)")
            return nil
        }
        guard range.contains(value) else {
            error(at: node.mark, key, "\(value) is out of range \(range.lowerBound)..\(range.upperBound)")
            return nil
        }
        return value
    }

    private mutating func parseEnum<E: RawRepresentable & CaseIterable>(_ node: Node, _ key: String) -> E? where E.RawValue == String {
        if let text = node.string, let value = E(rawValue: text) { return value }
        let allowed = E.allCases.map(\.rawValue).joined(separator: ", ")
        error(at: node.mark, key, "'\(node.string ?? "?")' is not one of: \(allowed)")
        return nil
    }

    private func isDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-")
        return parts.count == 3 && parts[0].count == 4 && parts[1].count == 2 && parts[2].count == 2
            && parts.allSatisfy { $0.allSatisfy(\.isNumber) }
    }

    // MARK: diagnostics

    private mutating func error(at mark: Mark?, _ key: String?, _ message: String) {
        diagnostics.append(Diagnostic(.error, file: file, at: mark.map { FilePosition(line: $0.line, column: $0.column) },
                                      key: key, message))
    }

    private func yamlDiagnostic(_ error: Error) -> Diagnostic {
        let (mark, problem) = YamlErrorInfo.describe(error)
        return Diagnostic(.error, file: file, at: mark, "malformed YAML: \(problem)")
    }

    private func suggestion(_ key: String, in known: Set<String>) -> String {
        let best = known.min { editDistance(key, $0) < editDistance(key, $1) }
        guard let best, editDistance(key, best) <= 2 else { return "" }
        return " (did you mean '\(best)'?)"
    }
}

/// Turns Yams' errors into a location and a one-line problem.
enum YamlErrorInfo {
    static func describe(_ error: Error) -> (FilePosition?, String) {
        guard let yaml = error as? YamlError else { return (nil, "\(error)") }
        switch yaml {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            let text = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
            return (FilePosition(line: mark.line, column: mark.column), text)
        case let .duplicatedKeysInMapping(duplicates, context):
            return (FilePosition(line: context.mark.line, column: context.mark.column),
                    "duplicate key(s) \(duplicates.joined(separator: ", ")) in one mapping")
        case let .reader(problem, offset, _, _):
            return (nil, "\(problem)\(offset.map { " at byte \($0)" } ?? "")")
        default:
            return (nil, "\(yaml)")
        }
    }
}

func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return previous[b.count]
}
