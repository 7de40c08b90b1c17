// SPDX-License-Identifier: Apache-2.0
import Foundation
import Catalog
import LinuxSystem

/// The rule identity schedcat proposes for a process: the name the kernel sees (so the scheduler's
/// comm map can hold it) and, for interpreters, the script argument as a cmdline condition.
public struct ProcessKey: Hashable, Sendable {
    public var name: String
    public var exe: String?
    public var script: String?
    /// An interpreter whose program schedcat cannot name (no script argument, or one longer than
    /// `maxScriptLength`): asking about it would describe the interpreter, not the program.
    public var unidentified = false
    /// What the command line says the program is (the script, module, class, jar, .exe, AppImage or
    /// Flatpak app), for the model; nil when it says nothing beyond the executable.
    public var program: CommandLineProgram?

    /// A script path longer than this is no name a catalog should carry (a process writes its argv).
    public static let maxScriptLength = 256

    public init(_ process: ProcessFeatures) {
        let comm = process.comm
        let identity = ProcessIdentity(comm: comm, argv: process.cmdline, exe: process.exe)
        // Prefer a full name whose 15-byte truncation is the comm: it matches in user space and kernel alike.
        let candidates = [identity.exeName, identity.argv0Name].compactMap { $0 }
        name = candidates.first { CommKey($0) == CommKey(comm) && !$0.isEmpty } ?? comm
        exe = process.exe
        if ExecutableTrust.isInterpreter(name) {
            // inline code (-c, -e) or no argument at all names no program
            script = CommandLineProgram.interpreted(process.cmdline, interpreter: name)??.argument
            if (script?.utf8.count ?? .max) > Self.maxScriptLength {
                script = nil
                unidentified = true
            }
        }
        // a script started by its #! line has its own name as comm and the interpreter as exe
        let interpreter = [name, identity.exeName, identity.argv0Name].compactMap { $0 }.first(where: ExecutableTrust.isInterpreter)
        program = interpreter.flatMap { CommandLineProgram.interpreted(process.cmdline, interpreter: $0) ?? nil }
            ?? CommandLineProgram.packaged(exe: process.exe, argv: process.cmdline, cgroup: process.cgroup)
    }

    public var identity: RuleIdentity {
        RuleIdentity(name: name, exe: nil, cmdline: script.map { [$0] }, cgroup: nil)
    }
}
