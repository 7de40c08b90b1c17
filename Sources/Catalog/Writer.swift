// SPDX-License-Identifier: Apache-2.0
/// Renders catalogs and rules in schedcat's layout: one flow mapping per type and per rule,
/// so that later changes can patch single lines and keep a person's comments and order.
public enum CatalogWriter {
    /// A whole catalog file. `includeTypes: false` leaves `types:` out so the defaults apply.
    public static func render(_ catalog: Catalog, header: [String] = [], includeTypes: Bool = true) -> String {
        var lines = header.map { "# \($0)" }
        lines.append("schema: \(catalogSchema)")
        let types = includeTypes ? catalog.orderedTypes.filter { catalog.fileTypeNames.contains($0.name) } : []
        if !types.isEmpty {
            lines.append("types:")
            let width = types.map { YAMLText.scalar($0.name).count }.max() ?? 0
            for type in types {
                let name = YAMLText.scalar(type.name) + ":"
                lines.append("  " + name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + typeBody(type))
            }
        }
        if catalog.rules.isEmpty {
            lines.append("rules: []")
        } else {
            lines.append("rules:")
            lines += catalog.rules.map(ruleLine)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func typeBody(_ type: CatalogType) -> String {
        var pairs = type.values.keyValues.map { ($0.key, YAMLText.scalar($0.value)) }
        if let description = type.description { pairs.append(("description", YAMLText.scalar(description))) }
        return YAMLText.flowMapping(pairs)
    }

    /// One rule as a `  - { ... }` line in key order name, type, identity, overrides, provenance.
    public static func ruleLine(_ rule: Rule) -> String {
        "  - " + YAMLText.flowMapping(rulePairs(rule))
    }

    public static func rulePairs(_ rule: Rule) -> [(String, String)] {
        var pairs: [(String, String)] = [("name", YAMLText.scalar(rule.name))]
        if let type = rule.type { pairs.append(("type", YAMLText.scalar(type))) }
        pairs += rule.identity.conditions.map { ($0.key, $0.yaml) }
        pairs += rule.overrides.keyValues.map { ($0.key, YAMLText.scalar($0.value)) }
        if !rule.matchTruncated { pairs.append(("match_truncated", "false")) }
        pairs.append(("status", rule.status.rawValue))
        pairs.append(("source", rule.source.rawValue))
        if let model = rule.model { pairs.append(("model", YAMLText.scalar(model))) }
        if let reason = rule.reason { pairs.append(("reason", YAMLText.scalar(reason))) }
        if let confidence = rule.confidence { pairs.append(("confidence", Rule.confidenceText(confidence))) }
        if let seen = rule.seen { pairs.append(("seen", seen)) }
        if let fingerprint = rule.fingerprint { pairs.append(("fp", fingerprint)) }
        return pairs
    }
}
