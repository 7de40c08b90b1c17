// SPDX-License-Identifier: Apache-2.0
#if canImport(Glibc)
import Glibc
#endif

/// A failed system call: what was attempted, on which path, and errno. The one typed error of
/// the system layer (no `String?` meaning success).
public struct SystemError: Error, Sendable, Equatable, CustomStringConvertible {
    public var operation: String
    public var path: String?
    public var code: Int32

    public init(_ operation: String, path: String? = nil, code: Int32 = errno) {
        self.operation = operation
        self.path = path
        self.code = code
    }

    public var message: String { errnoText(code) }

    public var description: String {
        (path.map { "\($0): " } ?? "") + "\(operation): \(message)"
    }
}

/// The C library's message for `errno`.
public func errnoText(_ code: Int32 = errno) -> String {
    guard let message = strerror(code) else { return "errno \(code)" }
    return String(cString: message)
}
