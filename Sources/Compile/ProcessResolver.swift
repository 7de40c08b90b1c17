// SPDX-License-Identifier: Apache-2.0
import Catalog
import LinuxSystem

/// What the loader knows about a process from /proc: the catalog's own process identity.
public typealias ProcessFacts = ProcessIdentity

/// Matches processes against the rules the kernel cannot match by itself (cmdline and cgroup
/// conditions, full-name-only rules), with the catalog's own matcher so that the most specific
/// rule wins and a name alone never earns a boost.
public struct ProcessResolver: Sendable {
    private let matcher: RuleMatcher
    private let statuses: Set<RuleStatus>
    /// rule index -> (class with boosts, class without)
    private let classes: [Int: (UInt32, UInt32)]
    private let names: Set<String>
    private let truncatedNames: Set<String>

    init(catalog: Catalog, statuses: Set<RuleStatus>, classes: [Int: (UInt32, UInt32)], trust: ExecutableTrust) {
        matcher = RuleMatcher(catalog, trust: trust)
        self.statuses = statuses.union([.rejected])
        self.classes = classes
        names = Set(classes.keys.map { catalog.rules[$0].name })
        truncatedNames = Set(classes.keys.map { CommKey(catalog.rules[$0].name).description })
    }

    public var isEmpty: Bool { classes.isEmpty }

    /// Cheap test on names before the full match: could any per-process rule concern this process?
    public func mayMatch(comm: String, argv0: String?, exe: String?) -> Bool {
        if names.contains(comm) || truncatedNames.contains(comm) { return true }
        if let argv0, names.contains(ProcessIdentity.basename(argv0)) { return true }
        if let exe, names.contains(ProcessIdentity.basename(exe)) { return true }
        return false
    }

    /// The class to pin the process to, or nil when the kernel's own lookup decides.
    public func classID(for facts: ProcessFacts) -> UInt32? {
        guard let match = matcher.match(facts, statuses: statuses), match.rule.status != .rejected,
              let pair = classes[match.ruleIndex] else { return nil }
        return match.boostWithheld ? pair.1 : pair.0
    }
}
