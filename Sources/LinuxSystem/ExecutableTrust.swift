// SPDX-License-Identifier: Apache-2.0
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Which executable files vouch for a process name, and which programs never vouch for anything.
///
/// A process controls its name, its argv and, in its own mount namespace, which file a path shows.
/// It does not control the (device, inode) of the file it runs as root's mount namespace sees it
/// (`stat("/proc/PID/exe")`). So a name vouches for a process only when the process runs one of the
/// system's files of that name: a root-owned regular file, writable by nobody else, in a system
/// directory whose every component is root-owned and not writable by group or others, looked up
/// here in schedcat's (the root) mount namespace. Interpreters and shells run whatever they are
/// given, so they never vouch, and a pin to one is no identity.
public final class ExecutableTrust: Sendable {
    /// Directories searched for a file named like a rule, in root's mount namespace.
    public static let systemDirectories = [
        "/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/games",
        "/usr/local/games", "/usr/libexec",
    ]
    /// Directories that hold one program's files: `DIR/NAME/NAME`, and `/opt/*/NAME`, `/opt/*/bin/NAME`.
    static let programDirectories = ["/usr/lib", "/usr/lib64", "/usr/libexec", "/opt"]

    /// Programs that run code they are handed (scripts, -c strings, classes, .exe files, plugins
    /// with a scripting language).
    static let interpreterStems: Set<String> = [
        "gdb", "lldb", "vim", "nvim", "emacs",
        "python", "pypy", "perl", "ruby", "node", "nodejs", "deno", "bun", "java", "php", "php-cgi", "lua", "luajit",
        "tclsh", "wish", "rscript", "pwsh", "osascript", "gjs", "mono", "dotnet", "wine", "wine64", "wine-preloader",
        "wine64-preloader", "sh", "bash", "dash", "zsh", "ksh", "mksh", "csh", "tcsh", "fish", "busybox", "env", "awk",
        "gawk", "mawk", "nawk", "sed", "expect", "guile", "racket", "sbcl", "ocaml", "julia", "erl", "escript", "qemu",
    ]

    /// Whether `name` (a file or process name) is an interpreter or shell: the name, or its stem
    /// up to the first character that is not a letter (python3.11, perl5.36-x86_64-linux-gnu,
    /// lua5.4, php8.2, qemu-system-x86_64, vim.basic), is in the list.
    public static func isInterpreter(_ name: String) -> Bool {
        let lower = name.lowercased()
        let stem = String(lower.prefix { $0.isLetter })
        return interpreterStems.contains(lower) || interpreterStems.contains(stem) || lower.hasPrefix("python")
    }

    /// Whether a pinned path names an interpreter, by its own name or by the file it resolves to.
    public static func isInterpreterPath(_ path: String) -> Bool {
        if isInterpreter(basename(path)) { return true }
        guard let resolved = realPath(path) else { return false }
        return isInterpreter(basename(resolved))
    }

    public struct Candidate: Sendable, Hashable {
        public var path: String
        public var file: FileIdentity
        public init(path: String, file: FileIdentity) {
            self.path = path
            self.file = file
        }
    }

    private let vouching = Mutex<[String: [Candidate]]>([:])
    private let trustedDirectories = Mutex<[String: Bool]>([:])

    /// Set: a fixed table instead of the file system (tests; a snapshot from elsewhere).
    private let fixedPins: [String: FileIdentity]?

    /// Looks at this machine's file system.
    public init() {
        fixedPins = nil
    }

    /// A fixed table: pinned paths and, per name, the files that vouch for it.
    public init(pins: [String: FileIdentity], vouching: [String: [Candidate]]) {
        fixedPins = pins
        self.vouching.withLock { $0 = vouching }
    }

    /// The file at a pinned path as root's mount namespace sees it (symlinks followed), or nil.
    public func pinnedFile(_ path: String) -> FileIdentity? {
        if let fixedPins { return fixedPins[path] }
        return FileIdentity.of(path)
    }

    /// The system's files that vouch for `name` (see the type's comment). A 15-byte name, which
    /// may be a truncated comm, also finds longer file names that start with it.
    public func vouchingFiles(_ name: String) -> [Candidate] {
        if let known = vouching.withLock({ $0[name] }) { return known }
        let found = lookUp(name)
        vouching.withLock { $0[name] = found }
        lastLookUp.withLock { $0[name] = ContinuousClock.now }
        return found
    }

    /// Whether `file` (a process's running executable) vouches for `name`. A miss looks again,
    /// at most once per `refreshInterval` for a name, so a package upgrade that replaced the file
    /// is seen without a reload, while a crowd of impostors costs one look-up, not one each.
    public func vouches(for name: String, file: FileIdentity) -> Bool {
        if vouchingFiles(name).contains(where: { $0.file.isSameFile(as: file) }) { return true }
        let now = ContinuousClock.now
        let due = lastLookUp.withLock { last in
            guard last[name].map({ now - $0 >= Self.refreshInterval }) ?? true else { return false }
            last[name] = now
            return true
        }
        guard due else { return false }
        let fresh = lookUp(name)
        vouching.withLock { $0[name] = fresh }
        return fresh.contains { $0.file.isSameFile(as: file) }
    }

    static let refreshInterval = Duration.seconds(10)
    private let lastLookUp = Mutex<[String: ContinuousClock.Instant]>([:])

    private func lookUp(_ name: String) -> [Candidate] {
        if fixedPins != nil { return vouching.withLock { $0[name] } ?? [] }
        guard !name.isEmpty, !name.contains("/"), name != ".", name != "..", !Self.isInterpreter(name) else { return [] }
        var found: [Candidate] = []
        for path in index().paths(named: name) where !Self.isInterpreter(Self.basename(path)) {
            guard let file = trustedFile(path), !found.contains(where: { $0.file.isSameFile(as: file) }) else { continue }
            found.append(Candidate(path: path, file: file))
        }
        return found
    }

    /// The names in the directories that may hold a vouching file, read once and again after a
    /// minute (new packages), so that a look-up is a few dictionary hits and stats, not a readdir.
    private func index() -> DirectoryIndex {
        let now = ContinuousClock.now
        if let (built, index) = directoryIndex.withLock({ $0 }), now - built < .seconds(60) { return index }
        let index = DirectoryIndex.read()
        directoryIndex.withLock { $0 = (now, index) }
        return index
    }

    private let directoryIndex = Mutex<(ContinuousClock.Instant, DirectoryIndex)?>(nil)

    struct DirectoryIndex: Sendable {
        /// name -> the paths of that name, in search order.
        var byName: [String: [String]] = [:]
        /// 15-byte prefix -> paths of longer names (a rule name may be a truncated comm).
        var byPrefix: [String: [String]] = [:]

        func paths(named name: String) -> [String] {
            (byName[name] ?? []) + (name.utf8.count == 15 ? byPrefix[name] ?? [] : [])
        }

        mutating func add(_ directory: String, _ name: String) {
            let path = "\(directory)/\(name)"
            byName[name, default: []].append(path)
            if name.utf8.count > 15 {
                byPrefix[String(decoding: Array(name.utf8.prefix(15)), as: UTF8.self), default: []].append(path)
            }
        }

        static func read() -> DirectoryIndex {
            var index = DirectoryIndex()
            var seen = Set<String>()
            func list(_ directory: String, filter: (String) -> Bool = { _ in true }) {
                guard let real = realPath(directory), seen.insert(real).inserted else { return }
                for name in entries(of: directory) where filter(name) { index.add(directory, name) }
            }
            for directory in systemDirectories { list(directory) }
            // DIR/NAME/NAME for each program directory (stat decides whether it exists)
            for directory in programDirectories where directory != "/opt" {
                for program in entries(of: directory) { index.byName[program, default: []].append("\(directory)/\(program)/\(program)") }
            }
            for vendor in entries(of: "/opt") {
                list("/opt/\(vendor)")
                list("/opt/\(vendor)/bin")
                for sub in entries(of: "/opt/\(vendor)") where sub != "bin" { list("/opt/\(vendor)/\(sub)") }
            }
            return index
        }
    }

    /// The identity of the regular file at `path` if it is trusted: not a symlink itself, root-owned,
    /// not writable by group or others, in a trusted directory (every component root-owned and
    /// writable by nobody else). A user who can rewrite a file can make it run anything.
    public func trustedFile(_ path: String) -> FileIdentity? {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_uid == 0,
              info.st_mode & 0o022 == 0, info.st_mode & 0o111 != 0,
              let directory = Self.realPath(Self.dirname(path)), isTrustedDirectory(directory) else { return nil }
        return FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), ownerUID: info.st_uid, mode: info.st_mode)
    }

    /// Every component of a resolved directory path is root-owned and writable by nobody else.
    func isTrustedDirectory(_ directory: String) -> Bool {
        if let known = trustedDirectories.withLock({ $0[directory] }) { return known }
        var info = stat()
        var trusted = lstat(directory, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR && info.st_uid == 0
            && info.st_mode & 0o022 == 0
        if trusted && directory != "/" { trusted = isTrustedDirectory(Self.dirname(directory)) }
        trustedDirectories.withLock { $0[directory] = trusted }
        return trusted
    }

    static func entries(of directory: String) -> [String] {
        guard let handle = opendir(directory) else { return [] }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    static func basename(_ path: String) -> String { path.split(separator: "/").last.map(String.init) ?? path }

    static func dirname(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

extension FileIdentity {
    /// Same device and inode: the same file, whatever path or namespace named it.
    public func isSameFile(as other: FileIdentity) -> Bool { device == other.device && inode == other.inode }
}
