// SPDX-License-Identifier: Apache-2.0
/// Everything the loader writes into the scheduler's maps, plus what the compiler noticed.
/// Encoded as JSON by `schedcat scheduler compile --json`.
public struct CompiledPolicy: Codable, Sendable {
    public var classes: [CompiledClass]
    public var comm: [CommEntry]
    public var exe: [ExeEntry]
    /// Rules only user space can match (cmdline/cgroup conditions, full-name-only rules):
    /// the loader scans /proc and pins matching processes in the tgid map.
    public var perProcessRules: [String]
    public var collisions: [Collision]
    /// exe pins whose file does not exist here (nothing to pin until it does).
    public var unresolvedExe: [UnresolvedExe]
    public var topology: CPUTopology
    /// Rules in effect: accepted ones, plus proposed ones with --include-proposed.
    public var rulesInEffect: Int

    /// Rules that made it into a map entry or the per-process list.
    public var rulesLoaded: Int { comm.reduce(0) { $0 + $1.rules.count } + exe.count { !$0.vouchedName } + perProcessRules.count }
}

/// A comm map entry: the 15-byte comm and what it maps to.
public struct CommEntry: Codable, Sendable, Hashable {
    public var comm: String
    /// The rule whose values the entry carries, then any others that share the comm with equal values.
    public var rules: [String]
    /// The class a process earns by this name alone: without the rule's boosts when it has any.
    public var classID: UInt32
    /// The rule boosts, and the boost was left out (it goes to the name's vouching files instead).
    public var boostWithheld: Bool

    public init(comm: String, rules: [String], classID: UInt32, boostWithheld: Bool) {
        self.comm = comm
        self.rules = rules
        self.classID = classID
        self.boostWithheld = boostWithheld
    }
}

public struct ExeEntry: Codable, Sendable, Hashable {
    public var path: String
    public var rule: String
    /// super_block.s_dev encoding (MAJOR << 20 | MINOR) and inode of the resolved file.
    public var device: UInt64
    public var inode: UInt64
    public var classID: UInt32
    /// false: the rule's own exe pin; true: a system file of a boosting name-only rule's name.
    public var vouchedName: Bool
    /// The rule (a name longer than a comm) also matches a comm that is its name cut short.
    public var matchesTruncatedComm: Bool

    public init(path: String, rule: String, device: UInt64, inode: UInt64, classID: UInt32, vouchedName: Bool = false,
                matchesTruncatedComm: Bool = false) {
        self.path = path
        self.rule = rule
        self.device = device
        self.inode = inode
        self.classID = classID
        self.vouchedName = vouchedName
        self.matchesTruncatedComm = matchesTruncatedComm
    }
}

public struct UnresolvedExe: Codable, Sendable, Hashable {
    public var rule: String
    public var path: String
    public init(rule: String, path: String) {
        self.rule = rule
        self.path = path
    }
}

/// Rules that claim the same kernel key. `kept` wins; the others are not loaded.
public struct Collision: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable { case comm, exe }
    public var kind: Kind
    public var key: String
    public var kept: String
    public var dropped: [String]
    public var message: String
}
