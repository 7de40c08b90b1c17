// SPDX-License-Identifier: Apache-2.0
import LinuxSystem

/// One finding about a catalog file, with the place in the file it is about.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable { case error, warning }

    public var severity: Severity
    public var file: String
    public var location: FilePosition?
    public var key: String?
    public var message: String

    public init(_ severity: Severity, file: String, at location: FilePosition?, key: String? = nil, _ message: String) {
        self.severity = severity
        self.file = file
        self.location = location
        self.key = key
        self.message = message
    }

    /// One line for people: the file's own text in it (keys, values) has its control characters escaped.
    public var description: String {
        let place = location.map { "\(file):\($0.line):\($0.column)" } ?? file
        let keyText = key.map { "'\($0)': " } ?? ""
        return "\(place): \(severity.rawValue): \(keyText)\(message)".escapedForTerminal
    }
}

/// Thrown when a catalog has errors; carries all of them, found in one pass.
public struct CatalogInvalid: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// A failure that is not about the catalog's content (I/O, permissions, refusing to overwrite).
public struct CatalogIOError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
