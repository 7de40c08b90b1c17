// SPDX-License-Identifier: Apache-2.0
/// Checks that need the whole catalog: type references, duplicate identities, comm collisions.
struct CatalogValidator {
    let file: String

    func check(_ catalog: Catalog) -> [Diagnostic] {
        var found: [Diagnostic] = []
        for rule in catalog.rules {
            if let type = rule.type, catalog.types[type] == nil {
                found.append(Diagnostic(.error, file: file, at: rule.location, key: "type",
                                        "unknown type '\(type)' in rule '\(rule.name)'\(closest(type, catalog.typeOrder))"))
            }
        }
        // an audit's proposed change shares the identity of the rule it would change: one of each at most
        var firstByIdentity: [Bool: [RuleIdentity: Rule]] = [:]
        for rule in catalog.rules {
            if let first = firstByIdentity[rule.isAuditAmendment]?[rule.identity] {
                found.append(Diagnostic(.error, file: file, at: rule.location, key: "name",
                                        "duplicate rule for \(rule.identity) (first at line \(first.location?.line ?? 0))"))
            } else {
                firstByIdentity[rule.isAuditAmendment, default: [:]][rule.identity] = rule
            }
        }
        found += commCollisions(catalog)
        return found
    }

    private func commCollisions(_ catalog: Catalog) -> [Diagnostic] {
        var found: [Diagnostic] = []
        for group in catalog.truncationConflicts() {
            let rules = group.map { catalog.rules[$0] }
            for rule in rules where rule.name.utf8.count > CommKey.length {
                let others = rules.filter { $0.name != rule.name }.map { "'\($0.name)' (line \($0.location?.line ?? 0))" }
                found.append(Diagnostic(.error, file: file, at: rule.location, key: "name",
                    "'\(rule.name)' is longer than the kernel's 15-byte comm; truncated to '\(CommKey(rule.name))' it collides with " +
                    others.joined(separator: ", ") + " which has different values; add 'match_truncated: false' or pin 'exe:'"))
            }
        }
        return found
    }

    private func closest(_ name: String, _ known: [String]) -> String {
        guard let best = known.min(by: { editDistance(name, $0) < editDistance(name, $1) }),
              editDistance(name, best) <= 3 else { return "" }
        return " (did you mean '\(best)'?)"
    }
}

extension Catalog {
    /// Groups of rule indices whose names, truncated to the kernel's 15-byte comm, claim the same
    /// comm entry with different values while at least one name is longer than 15 bytes.
    public func truncationConflicts() -> [[Int]] {
        var groups: [CommKey: [Int]] = [:]
        for (index, rule) in rules.enumerated() where rule.claimsComm {
            groups[CommKey(rule.name), default: []].append(index)
        }
        return groups.values
            .filter { group in
                group.count > 1 && group.contains { rules[$0].name.utf8.count > CommKey.length }
                    && Set(group.map { effectiveValues(of: rules[$0]) }).count > 1
            }
            .sorted { $0[0] < $1[0] }
    }
}

extension Rule {
    /// Rules that the kernel matches by comm alone: no condition, not rejected, and not opted
    /// out of truncated matching.
    public var claimsComm: Bool {
        status != .rejected && matchTruncated && identity.conditions.isEmpty && !isAuditAmendment
    }
}

/// A process name as the kernel stores it in `task_struct.comm`: at most 15 bytes.
public struct CommKey: Hashable, Sendable, CustomStringConvertible {
    public static let length = 15
    public let bytes: [UInt8]

    public init(_ name: String) {
        bytes = Array(name.utf8.prefix(CommKey.length))
    }

    public var description: String { String(decoding: bytes, as: UTF8.self) }
}
