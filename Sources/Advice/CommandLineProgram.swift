// SPDX-License-Identifier: Apache-2.0
import Catalog
import LinuxSystem

/// What the whole command line says the program is, when the executable alone does not: the
/// script, module, class or jar an interpreter runs, the .exe under wine, the AppImage, the
/// Flatpak app. `argument` is the argv element that names it (a rule's cmdline condition).
public struct CommandLineProgram: Sendable, Hashable {
    public enum Kind: String, Sendable {
        case script, module, mainClass = "main class", jar, windowsExe = "windows exe", appImage = "AppImage", flatpak = "flatpak app"
    }

    public var kind: Kind
    public var argument: String
    /// A short name for it: the file's base name, the module, class or app id.
    public var name: String

    /// What an interpreter's command line runs: `.some(nil)` when it runs code given inline (`-c`,
    /// `-e`) or nothing at all, which identifies no program. nil for a program that is no interpreter.
    public static func interpreted(_ argv: [String], interpreter: String) -> CommandLineProgram?? {
        guard ExecutableTrust.isInterpreter(interpreter) else { return nil }
        let stem = String(interpreter.lowercased().prefix { $0.isLetter })
        if stem.hasPrefix("wine") { return .some(windowsExe(argv)) }
        let rules = InterpreterOptions.of(stem)
        var index = 1
        while index < argv.count {
            let argument = argv[index]
            if argument == "--" {
                index += 1
                break
            }
            guard argument.hasPrefix("-") && argument.count > 1 else { break }
            if rules.inlineCode.contains(argument) { return .some(nil) }
            if rules.module.contains(argument), index + 1 < argv.count {
                return .some(CommandLineProgram(kind: stem == "java" ? .mainClass : .module, argument: argv[index + 1],
                                                name: argv[index + 1]))
            }
            if rules.jar.contains(argument), index + 1 < argv.count {
                return .some(file(.jar, argv[index + 1]))
            }
            index += rules.takesValue.contains(argument) ? 2 : 1
        }
        guard index < argv.count else { return .some(nil) }
        return .some(stem == "java" ? CommandLineProgram(kind: .mainClass, argument: argv[index], name: argv[index])
                                    : file(.script, argv[index]))
    }

    /// An AppImage or a Flatpak app, from the exe, argv[0] or the cgroup systemd gave it.
    public static func packaged(exe: String?, argv: [String], cgroup: String?) -> CommandLineProgram? {
        for path in [argv.first, exe].compactMap({ $0 }) where path.lowercased().hasSuffix(".appimage") {
            return file(.appImage, path)
        }
        if let exe, exe.hasPrefix("/tmp/.mount_") {
            let mount = exe.dropFirst(5).split(separator: "/").first.map(String.init) ?? exe
            return CommandLineProgram(kind: .appImage, argument: argv.first ?? exe, name: String(mount.dropFirst(7)))
        }
        // `flatpak run [options] APP-ID [args]`, and the app's own scope app-flatpak-APP.ID-NNNN.scope
        if argv.count > 2, ProcessIdentity.basename(argv[0]) == "flatpak", argv[1] == "run",
           let id = argv.dropFirst(2).first(where: { !$0.hasPrefix("-") }) {
            return CommandLineProgram(kind: .flatpak, argument: id, name: id)
        }
        if let unit = cgroup?.split(separator: "/").last, unit.hasPrefix("app-flatpak-"), unit.hasSuffix(".scope") {
            var id = unit.dropFirst(12).dropLast(6)
            if let dash = id.lastIndex(of: "-"), id[id.index(after: dash)...].allSatisfy(\.isNumber) { id = id[..<dash] }
            if !id.isEmpty { return CommandLineProgram(kind: .flatpak, argument: String(id), name: String(id)) }
        }
        return nil
    }

    /// The first argument naming a Windows program, as wine and Proton pass it (`Z:\...\game.exe`).
    static func windowsExe(_ argv: [String]) -> CommandLineProgram? {
        guard let argument = argv.dropFirst().first(where: { $0.lowercased().hasSuffix(".exe") }) else { return nil }
        let name = argument.split(whereSeparator: { $0 == "\\" || $0 == "/" }).last.map(String.init) ?? argument
        return CommandLineProgram(kind: .windowsExe, argument: argument, name: name)
    }

    static func file(_ kind: Kind, _ path: String) -> CommandLineProgram {
        CommandLineProgram(kind: kind, argument: path, name: ProcessIdentity.basename(path))
    }

    /// "python module http.server", "java main class org.gradle.Main", "script backup.sh".
    public var description: String { "\(kind.rawValue) \(name)" }
}

/// How an interpreter's options read: which run inline code, which name a module or jar, which
/// take the next argument as their value.
struct InterpreterOptions {
    var inlineCode: Set<String> = []
    var module: Set<String> = []
    var jar: Set<String> = []
    var takesValue: Set<String> = []

    static func of(_ stem: String) -> InterpreterOptions {
        switch stem {
        case let python where python.hasPrefix("python") || python == "pypy":
            return InterpreterOptions(inlineCode: ["-c"], module: ["-m"], takesValue: ["-W", "-X", "-Q"])
        case "java":
            return InterpreterOptions(module: ["-m", "--module"], jar: ["-jar"],
                                      takesValue: ["-cp", "-classpath", "--class-path", "-p", "--module-path", "--upgrade-module-path",
                                                   "--add-modules", "--add-opens", "--add-exports", "--add-reads", "--patch-module",
                                                   "--limit-modules", "--enable-native-access"])
        case "node", "nodejs", "deno", "bun":
            return InterpreterOptions(inlineCode: ["-e", "--eval", "-p", "--print"], takesValue: ["-r", "--require", "--import", "--loader"])
        case "perl", "ruby":
            return InterpreterOptions(inlineCode: ["-e", "-E"], takesValue: ["-I", "-M", "-r"])
        case "php", "lua", "luajit":
            return InterpreterOptions(inlineCode: ["-r", "-e"], takesValue: ["-c", "-d", "-l"])
        case "sh", "bash", "dash", "zsh", "ksh", "mksh", "csh", "tcsh", "fish", "busybox":
            return InterpreterOptions(inlineCode: ["-c"], takesValue: ["-o", "+o", "-O", "+O"])
        default:
            return InterpreterOptions(inlineCode: ["-c", "-e", "--eval"])
        }
    }
}
