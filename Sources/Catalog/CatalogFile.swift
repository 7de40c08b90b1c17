// SPDX-License-Identifier: Apache-2.0
import LinuxSystem

/// Reading and writing catalog files safely, through LinuxSystem's one way of doing each: read
/// from one descriptor opened without following symlinks and checked for ownership; atomic
/// replace relative to a checked directory.
public enum CatalogFile {
    /// Reads `path` after checking, on the open descriptor, that nobody but root or the caller
    /// could have written it. Text that is not UTF-8 (binary, UTF-16) is invalid input.
    public static func readText(_ path: String, checkOwnership: Bool = true) throws -> String {
        let bytes: [UInt8]
        do {
            bytes = try PolicyFileReader.read(path, trusted: checkOwnership)
        } catch {
            throw CatalogIOError(message(error, path))
        }
        return try decodeText(bytes, file: path)
    }

    /// Loads and validates; throws `CatalogInvalid` with every error found.
    public static func load(_ path: String, checkOwnership: Bool = true) throws -> Catalog {
        try CatalogParser.load(try readText(path, checkOwnership: checkOwnership), file: path)
    }

    /// A catalog decides priorities for every process, often as root: the refusal of one that
    /// another unprivileged user could have written says so, and how to fix it.
    static func message(_ error: FileSafetyError, _ path: String) -> String {
        switch error {
        case .worldWritable:
            "\(path): refusing a world-writable catalog (anyone could change process priorities); run: chmod o-w \(path)"
        case .foreignOwner(_, let owner, let caller):
            "\(path): refusing a catalog owned by uid \(owner), neither root nor you (uid \(caller)); run: chown root \(path)"
        case .exists:
            "\(path): already exists; pass --force to replace it (the old one is kept as \(path).bak)"
        default:
            error.description
        }
    }

    /// UTF-8 text without NUL bytes; anything else is a `CatalogInvalid` at the first bad byte.
    static func decodeText(_ bytes: [UInt8], file: String) throws -> String {
        let invalid = { (offset: Int, message: String) in
            CatalogInvalid([Diagnostic(.error, file: file, at: position(of: offset, in: bytes), message + utf16Hint(bytes))])
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let offset = validUTF8Prefix(bytes)
            throw invalid(offset, "not UTF-8 text (byte 0x\(String(bytes[offset], radix: 16, uppercase: true)))")
        }
        if let nul = bytes.firstIndex(of: 0) { throw invalid(nul, "a NUL byte: a catalog is UTF-8 text") }
        return text
    }

    /// How many leading bytes decode as UTF-8.
    private static func validUTF8Prefix(_ bytes: [UInt8]) -> Int {
        var offset = 0
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        while case .scalarValue(let scalar) = decoder.decode(&iterator) { offset += UTF8.width(scalar) }
        return min(offset, bytes.count - 1)
    }

    private static func utf16Hint(_ bytes: [UInt8]) -> String {
        let bom = bytes.prefix(2)
        let looksUTF16 = bom.elementsEqual([0xFF, 0xFE]) || bom.elementsEqual([0xFE, 0xFF])
            || (bytes.count >= 2 && (bytes[0] == 0 || bytes[1] == 0))
        return looksUTF16 ? "; it looks like UTF-16: save it as UTF-8" : ""
    }

    /// Line and column (1-based, in bytes) of byte `offset`.
    private static func position(of offset: Int, in bytes: [UInt8]) -> FilePosition {
        let before = bytes[..<min(offset, bytes.count)]
        let line = before.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
        let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        return FilePosition(line: line, column: offset - lineStart + 1)
    }

    /// Replaces `path` with `text` atomically after validating it: temp file + fsync + rename,
    /// the previous content kept as `path.bak`. Refuses symlinks and invalid content; on any
    /// failure the existing file is untouched.
    public static func writeAtomically(_ text: String, to path: String, validate: Bool = true) throws {
        // a file schedcat could not read back would stop every later run
        guard text.utf8.count <= PolicyFileReader.defaultLimit else {
            throw CatalogIOError("\(path): the new catalog would be \(text.utf8.count) bytes, more than the \(PolicyFileReader.defaultLimit) schedcat reads; nothing written")
        }
        if validate {
            _ = try CatalogParser.load(text, file: path)
        }
        try write(text, to: path, existing: .replace(keepBackup: true))
    }

    /// Writes a new file, refusing to replace an existing one unless `overwrite` is set.
    public static func create(_ text: String, at path: String, overwrite: Bool) throws {
        _ = try CatalogParser.load(text, file: path)
        try write(text, to: path, existing: overwrite ? .replace(keepBackup: true) : .refuse)
    }

    private static func write(_ text: String, to path: String, existing: AtomicFile.Existing) throws {
        do {
            try AtomicFile.write(Array(text.utf8), to: path, existing: existing)
        } catch {
            throw CatalogIOError(message(error, path))
        }
    }
}
