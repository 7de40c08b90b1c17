// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Catalog
import Foundation
import LinuxSystem

struct ValidateCatalog: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "validate", abstract: "Check a catalog; print every error with file:line:col.")

    @Argument(help: "The catalog YAML file.") var file: String

    func run() async throws {
        try reportingErrors {
            let text = try CatalogFile.readText(file)
            let (catalog, diagnostics) = CatalogParser.parse(text, file: file)
            for warning in diagnostics where warning.severity == .warning { printError(warning.description) }
            guard let catalog, !diagnostics.contains(where: { $0.severity == .error }) else {
                throw CatalogInvalid(diagnostics)
            }
            print("ok: \(catalog.types.count) types, \(catalog.rules.count) rules")
        }
    }
}

struct ShowCatalog: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show the effective rules: type values merged with each rule's overrides.")

    @Argument(help: "The catalog YAML file.") var file: String
    @Flag(help: "Print JSON for scripts.") var json = false

    func run() async throws {
        let catalog = try reportingErrors { try CatalogFile.load(file) }
        let rows = catalog.rules.map { EffectiveRule(rule: $0, values: catalog.effectiveValues(of: $0)) }
        if json {
            try printJSON(rows)
            return
        }
        print(renderTable(
            ["NAME", "TYPE", "STATUS", "SOURCE", "NICE", "LAT", "IO", "SCHED", "OOM", "CPUS", "MATCH"],
            rows.map { row in
                let v = row.values
                return [row.name, row.type ?? "-", row.status, row.source, v.nice.map(String.init) ?? "-",
                        v.latencyNice.map(String.init) ?? "-",
                        v.ioclass.map { $0.rawValue + (v.ionice.map { "/\($0)" } ?? "") } ?? (v.ionice.map { "/\($0)" } ?? "-"),
                        v.sched?.rawValue ?? "-", v.oomScoreAdj.map(String.init) ?? "-", v.cpus?.description ?? "-",
                        row.conditions]
            }))
        print("\(catalog.rules.count) rules, \(catalog.types.count) types")
    }
}

/// A rule with the values it applies, as `catalog show --json` prints it: each condition kind
/// under its own key (null when the rule has none).
struct EffectiveRule: Encodable {
    var rule: Rule
    var values: SchedValues

    var name: String { rule.name }
    var type: String? { rule.type }
    var status: String { rule.status.rawValue }
    var source: String { rule.source.rawValue }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(name, forKey: Key("name"))
        try container.encode(type, forKey: Key("type"))
        try container.encode(status, forKey: Key("status"))
        try container.encode(source, forKey: Key("source"))
        for kind in RuleCondition.Kind.allCases {
            try container.encode(rule.identity.condition(kind), forKey: Key(kind.rawValue))
        }
        try container.encode(values, forKey: Key("values"))
        try container.encode(values.direction, forKey: Key("direction"))
        try container.encode(rule.model, forKey: Key("model"))
        try container.encode(rule.reason, forKey: Key("reason"))
        try container.encodeIfPresent(rule.confidence, forKey: Key("confidence"))
    }

    var conditions: String {
        rule.identity.conditions.isEmpty ? "name" : rule.identity.conditions.map(\.description).joined(separator: " ")
    }
}

struct ImportCatalog: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: "Convert an ananicy(-cpp) rules tree into a catalog.")

    @Option(name: .customLong("ananicy"), help: "The ananicy tree, e.g. /etc/ananicy.d.") var directory: String
    @Option(name: .shortAndLong, help: "Write the catalog here (default: print it).") var output: String?
    @Flag(help: "Replace --output if it exists (the old file is kept as FILE.bak).") var force = false
    @Flag(help: "List every line that was not converted as is.") var verbose = false

    func run() async throws {
        try reportingErrors {
            let result = try AnanicyImporter.importTree(directory)
            let text = CatalogWriter.render(result.catalog, header: ["Imported by schedcat from the ananicy rules in \(directory)."])
            if let output {
                try CatalogFile.create(text, at: output, overwrite: force)
            } else {
                print(text, terminator: "")
            }
            let shown = verbose ? result.notes : Array(result.notes.prefix(20))
            for note in shown + result.commentedOutRules { printError("note: \("\(note)".escapedForTerminal)") }
            if shown.count < result.notes.count {
                printError("note: ... \(result.notes.count - shown.count) more (--verbose lists all)")
            }
            let rejected = result.catalog.rules.filter { $0.status == .rejected }.count
            printError("imported \(result.catalog.rules.count) rules (\(rejected) as rejected) and " +
                       "\(result.catalog.fileTypeNames.count) own types from \(result.filesRead) files; " +
                       "\(result.notes.count) notes, \(result.commentedOutRules.count) commented-out rules listed, " +
                       "\(result.truncationOptOuts) long names match by full name only (truncated comm collides)" +
                       (output.map { "; wrote \($0)" } ?? ""))
        }
    }
}

struct ExportCatalog: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Write a catalog as ananicy-cpp *.types and *.rules files.")

    @Option(name: .customLong("ananicy"), help: "Directory to write schedcat.types and schedcat.rules into.") var directory: String
    @Argument(help: "The catalog YAML file.") var file: String
    @Flag(help: "Replace existing schedcat.types/schedcat.rules.") var force = false

    func run() async throws {
        try reportingErrors {
            let catalog = try CatalogFile.load(file)
            let result = try AnanicyExporter.export(catalog, to: directory, sourceName: file, overwrite: force)
            for skip in result.skipped { printError("skipped: \(skip.escapedForTerminal)") }
            print("wrote \(result.typesWritten) types and \(result.rulesWritten) rules to \(result.files.joined(separator: ", "))")
        }
    }
}
