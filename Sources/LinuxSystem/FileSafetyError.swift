// SPDX-License-Identifier: Apache-2.0
/// Why a file schedcat reads or writes was refused or could not be used. Callers wrap it into
/// their own error text; `description` is a complete message starting with the path.
public enum FileSafetyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A system call failed.
    case system(SystemError)
    /// The last path component is a symbolic link: never followed, never written through.
    case symbolicLink(path: String)
    /// Not a regular file (a FIFO could block forever, /dev/zero never ends).
    case notRegular(path: String, kind: FileKind)
    /// Anyone could have written it.
    case worldWritable(path: String)
    /// Owned by a user who is neither root nor the caller.
    case foreignOwner(path: String, owner: UInt32, caller: UInt32)
    /// Longer than the reader accepts.
    case tooLarge(path: String, limit: Int)
    /// A directory other users can change entries in.
    case unsafeDirectory(path: String, reason: String)
    /// Creating without replacing, and the name is taken.
    case exists(path: String)

    public var path: String {
        switch self {
        case .system(let error): error.path ?? ""
        case .symbolicLink(let path), .notRegular(let path, _), .worldWritable(let path), .foreignOwner(let path, _, _),
             .tooLarge(let path, _), .unsafeDirectory(let path, _), .exists(let path): path
        }
    }

    /// The message without the path in front.
    public var reason: String {
        switch self {
        case .system(let error): "\(error.operation): \(error.message)"
        case .symbolicLink: "is a symbolic link; schedcat neither follows nor writes through symlinks here (remove it if you did not put it there)"
        case .notRegular(_, let kind): "is \(kind.noun), not a regular file"
        case .worldWritable(let path): "is world-writable; refusing it (run: chmod o-w \(path))"
        case .foreignOwner(_, let owner, let caller): "is owned by uid \(owner), neither root nor you (uid \(caller)); refusing it"
        case .tooLarge(_, let limit): "is larger than \(limit / (1 << 20)) MiB; refusing to read it"
        case .unsafeDirectory(_, let reason): reason
        case .exists: "already exists"
        }
    }

    public var description: String { path.isEmpty ? reason : "\(path): \(reason)" }
}
