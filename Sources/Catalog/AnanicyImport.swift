// SPDX-License-Identifier: Apache-2.0
import Foundation
import LinuxSystem

/// Something in an ananicy tree that could not be converted as is, with its file:line.
public struct ImportNote: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String
    public var description: String { "\(file):\(line): \(message)" }
}

public struct AnanicyImportResult: Sendable {
    public var catalog: Catalog
    /// Lines or keys that were not converted, or converted with a change.
    public var notes: [ImportNote]
    /// Rules that are commented out in the source (`# { "name": ... }`), listed, not imported.
    public var commentedOutRules: [ImportNote]
    /// Rules that lost comm matching because their truncated names collide with different values.
    public var truncationOptOuts: Int
    public var filesRead: Int
}

/// Reads an ananicy(-cpp) configuration tree: `*.types`, `*.rules`, `*.cgroups`, one JSON object a line.
public enum AnanicyImporter {
    static let importedWithoutType = "imported without a usable type or value; not applied"

    public static func importTree(_ directory: String, seen: String? = nil) throws -> AnanicyImportResult {
        let files = try listFiles(directory)
        guard !files.isEmpty else {
            throw CatalogIOError("\(directory): no *.types, *.rules or *.cgroups files found")
        }
        var notes: [ImportNote] = []
        var commented: [ImportNote] = []
        var types: [String: CatalogType] = [:]
        var typeOrder: [String] = []
        var pendingRules: [(Rule, String?, ImportNote)] = []

        let root = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
        for file in files {
            let text = try readRules(file, within: root)
            for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let lineNumber = index + 1
                let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
                let here = { (message: String) in ImportNote(file: file, line: lineNumber, message: message) }
                if line.isEmpty { continue }
                if line.hasPrefix("#") {
                    let body = line.drop(while: { $0 == "#" || $0 == " " })
                    if body.hasPrefix("{"), body.contains("\"name\"") {
                        commented.append(here("commented-out rule, not imported: \(body)"))
                    }
                    continue
                }
                guard let (object, trailing) = parseObject(line) else {
                    notes.append(here("not a JSON object, skipped: \(line)"))
                    continue
                }
                if let trailing {
                    notes.append(here("text after the JSON object ignored: '\(trailing)'"))
                }
                if file.hasSuffix(".types") {
                    guard let name = object["type"] as? String, !name.isEmpty else {
                        notes.append(here("type definition without \"type\", skipped"))
                        continue
                    }
                    let values = convertValues(object, ignoring: ["type"], note: { notes.append(here($0)) })
                    if types[name] != nil {
                        notes.append(here("type '\(name)' defined again; the later definition wins"))
                    } else {
                        typeOrder.append(name)
                    }
                    let builtIn = DefaultTypes.all.first { $0.name == name }
                    types[name] = CatalogType(name: name, values: values, description: builtIn?.description)
                } else if file.hasSuffix(".cgroups") {
                    notes.append(here("cgroup CPU quotas are not supported by schedcat, skipped: \(line)"))
                } else {
                    guard let name = object["name"] as? String, !name.isEmpty else {
                        notes.append(here("rule without \"name\", skipped"))
                        continue
                    }
                    if name.contains("/") {
                        notes.append(here("rule name '\(name)' is a path; ananicy matches names only, skipped"))
                        continue
                    }
                    let values = convertValues(object, ignoring: ["name", "type"], note: { notes.append(here($0)) })
                    let rule = Rule(identity: RuleIdentity(name: name), type: object["type"] as? String,
                                    overrides: values, status: .accepted, source: .ananicy, seen: seen)
                    pendingRules.append((rule, object["type"] as? String, here("")))
                }
            }
        }

        let allTypes = DefaultTypes.all.filter { types[$0.name] == nil } + typeOrder.compactMap { types[$0] }
        var rules: [Rule] = []
        for (var rule, typeName, place) in pendingRules {
            if let typeName, types[typeName] == nil, !DefaultTypes.all.contains(where: { $0.name == typeName }) {
                notes.append(ImportNote(file: place.file, line: place.line,
                                        message: "rule '\(rule.name)' has unknown type '\(typeName)'; imported as rejected (not applied)"))
                rule.type = nil
            }
            if rule.type == nil && rule.overrides.isEmpty {
                rule.status = .rejected
                rule.reason = importedWithoutType
            }
            rules.append(rule)
        }
        // Types equal to a built-in default are inherited rather than repeated in the file.
        let ownTypes = typeOrder.filter { name in DefaultTypes.all.first { $0.name == name }?.values != types[name]?.values }
        var catalog = Catalog(types: allTypes, rules: rules, fileTypeNames: Set(ownTypes))
        let optOuts = optOutCollidingTruncations(&catalog)
        return AnanicyImportResult(catalog: catalog, notes: notes, commentedOutRules: commented,
                                   truncationOptOuts: optOuts, filesRead: files.count)
    }

    /// One rule file of the tree: a regular file (a FIFO or a link to /dev/zero is named and
    /// refused, never waited on). Links are followed inside the tree only: whoever owns the tree
    /// must not choose which of root's files schedcat reads (a link to /etc/shadow).
    static func readRules(_ file: String, within root: String) throws -> String {
        let resolved = URL(fileURLWithPath: file).resolvingSymlinksInPath().path
        guard resolved.hasPrefix(root.hasSuffix("/") ? root : root + "/") else {
            throw CatalogIOError("\(file): leads outside the imported tree (to \(resolved)); cannot import it")
        }
        let bytes: [UInt8]
        do {
            bytes = try PolicyFileReader.read(file, trusted: false, symlinks: .follow)
        } catch {
            throw CatalogIOError("\(error); cannot import it")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw CatalogIOError("\(file): not UTF-8 text; cannot import it")
        }
        return text
    }

    /// Every *.types, *.rules and *.cgroups file under `directory`, types first, in path order.
    static func listFiles(_ directory: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CatalogIOError("\(directory): not a directory")
        }
        guard let walker = FileManager.default.enumerator(atPath: directory) else {
            throw CatalogIOError("\(directory): cannot list")
        }
        var files: [String] = []
        while let relative = walker.nextObject() as? String {
            if relative.hasSuffix(".types") || relative.hasSuffix(".rules") || relative.hasSuffix(".cgroups") {
                files.append((directory as NSString).appendingPathComponent(relative))
            }
        }
        let rank = { (path: String) in path.hasSuffix(".types") ? 0 : path.hasSuffix(".cgroups") ? 1 : 2 }
        return files.sorted { (rank($0), $0) < (rank($1), $1) }
    }

    /// Parses `{...}` at the start of a line; returns the object and any text after it.
    static func parseObject(_ line: String) -> ([String: Any], String?)? {
        guard line.hasPrefix("{"), let end = line.lastIndex(of: "}") else { return nil }
        let json = line[...end]
        guard let data = json.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        let rest = line[line.index(after: end)...].trimmingCharacters(in: .whitespaces)
        return (object, rest.isEmpty ? nil : rest)
    }

    static func convertValues(_ object: [String: Any], ignoring: Set<String>, note: (String) -> Void) -> SchedValues {
        var values = SchedValues()
        func int(_ key: String, _ range: ClosedRange<Int>) -> Int? {
            guard let raw = object[key] else { return nil }
            let number = (raw as? Int) ?? (raw as? String).flatMap { Int($0) }
            guard let number, range.contains(number) else {
                note("\(key) \(raw) is not an integer in \(range.lowerBound)..\(range.upperBound); dropped")
                return nil
            }
            return number
        }
        for key in object.keys.sorted() where !ignoring.contains(key) {
            switch key {
            case "nice": values.nice = int(key, -20...19)
            case "latency_nice": values.latencyNice = int(key, -20...19)
            case "ionice": values.ionice = int(key, 0...7)
            case "oom_score_adj": values.oomScoreAdj = int(key, -1000...1000)
            case "ioclass":
                if let text = object[key] as? String, let ioclass = IOClass(rawValue: text) {
                    values.ioclass = ioclass
                } else {
                    note("ioclass '\(object[key] ?? "")' unknown; dropped")
                }
            case "sched":
                if let text = object[key] as? String, let sched = SchedPolicy(rawValue: text) {
                    values.sched = sched
                } else {
                    note("sched '\(object[key] ?? "")' is not normal, batch or idle (schedcat never sets realtime); dropped")
                }
            case "cgroup":
                note("cgroup '\(object[key] ?? "")' (CPU quota group) is not supported by schedcat; dropped")
            default:
                note("unknown key '\(key)' dropped")
            }
        }
        return values
    }

    /// Rules whose names only differ beyond the kernel's 15-byte comm but whose values differ
    /// cannot share one comm entry: they keep matching by full argv[0]/exe name only.
    static func optOutCollidingTruncations(_ catalog: inout Catalog) -> Int {
        var count = 0
        for index in catalog.truncationConflicts().joined() where catalog.rules[index].name.utf8.count > CommKey.length {
            catalog.rules[index].matchTruncated = false
            count += 1
        }
        return count
    }
}
