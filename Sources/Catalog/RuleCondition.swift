// SPDX-License-Identifier: Apache-2.0
import Foundation
import LinuxSystem
import Yams

/// A condition a rule carries beyond its name. Each case owns its YAML key, how it is parsed and
/// written, its part of the fingerprint, how it is matched against a process, and whether the
/// BPF scheduler can check it. To add a condition, add a case here (CONTRIBUTING.md).
public enum RuleCondition: Sendable, Hashable, CustomStringConvertible {
    /// The running executable is the file at this absolute path (by device and inode).
    case exe(String)
    /// Every listed argument appears in argv.
    case cmdline([String])
    /// The process's cgroup path matches this glob.
    case cgroup(String)

    public enum Kind: String, Sendable, CaseIterable, Codable {
        case exe, cmdline, cgroup
    }

    /// Who checks a condition.
    public enum Evaluation: Sendable, Equatable {
        /// The kernel's exe map, keyed by the file's (device, inode).
        case exeMap
        /// Only user space can: the loader matches processes itself and pins them by tgid.
        case userSpace
    }

    public var kind: Kind {
        switch self {
        case .exe: .exe
        case .cmdline: .cmdline
        case .cgroup: .cgroup
        }
    }

    /// The YAML key of a kind is its raw value.
    public var key: String { kind.rawValue }

    /// Reads a condition from its YAML value; the error is the problem to report at its mark.
    static func parse(_ kind: Kind, _ value: Node) -> Result<RuleCondition, ConditionError> {
        switch kind {
        case .exe:
            guard let exe = value.string, exe.hasPrefix("/") else {
                return .failure(ConditionError("must be an absolute path such as /usr/bin/pipewire"))
            }
            return .success(.exe(exe))
        case .cmdline:
            guard case .sequence(let args) = value, !args.isEmpty, args.allSatisfy({ $0.string != nil }) else {
                return .failure(ConditionError("must be a non-empty list of arguments, e.g. [--some-flag]"))
            }
            return .success(.cmdline(args.compactMap(\.string)))
        case .cgroup:
            guard let glob = value.string, !glob.isEmpty else {
                return .failure(ConditionError("must be a non-empty glob on the cgroup path"))
            }
            return .success(.cgroup(glob))
        }
    }

    /// The YAML value as schedcat writes it.
    var yaml: String {
        switch self {
        case .exe(let path): YAMLText.scalar(path)
        case .cmdline(let args): YAMLText.flowList(args)
        case .cgroup(let glob): YAMLText.scalar(glob)
        }
    }

    /// This condition's text in a rule's fingerprint.
    var fingerprintText: String {
        switch self {
        case .exe(let path): path
        case .cmdline(let args): args.joined(separator: "\u{1}")
        case .cgroup(let glob): glob
        }
    }

    /// Whether the condition holds for a process. An exe pin compares files, not paths: a path in
    /// the process's own mount namespace can show any file.
    public func holds(for process: ProcessIdentity, trust: ExecutableTrust) -> Bool {
        switch self {
        case .exe(let path):
            guard let running = process.exeFile, let pinned = trust.pinnedFile(path) else { return false }
            return running.isSameFile(as: pinned)
        case .cmdline(let required):
            return required.allSatisfy(process.argv.contains)
        case .cgroup(let glob):
            guard let cgroup = process.cgroup else { return false }
            return fnmatch(glob, cgroup, 0) == 0
        }
    }

    /// Who can check it. An exe pin to an interpreter is no identity: user space matches it and
    /// withholds the boost, so the kernel's exe map never holds an interpreter.
    public var evaluation: Evaluation {
        switch self {
        case .exe(let path): ExecutableTrust.isInterpreterPath(path) ? .userSpace : .exeMap
        case .cmdline, .cgroup: .userSpace
        }
    }

    /// Whether the condition vouches for a boost (only an exe pin that is no interpreter does:
    /// a process writes its own argv and a user names its own cgroups).
    public var vouchesForBoost: Bool {
        if case .exe(let path) = self { return !ExecutableTrust.isInterpreterPath(path) }
        return false
    }

    /// `exe=/usr/bin/x`, `cmdline=a b`, `cgroup=glob`.
    public var description: String {
        switch self {
        case .exe(let path): "exe=\(path)"
        case .cmdline(let args): "cmdline=\(args.joined(separator: " "))"
        case .cgroup(let glob): "cgroup=\(glob)"
        }
    }
}

extension RuleCondition: Encodable {
    /// JSON carries the condition's value: a string, or a list of arguments.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .exe(let value), .cgroup(let value): try container.encode(value)
        case .cmdline(let args): try container.encode(args)
        }
    }
}

struct ConditionError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
