// SPDX-License-Identifier: Apache-2.0
import Foundation
import LinuxSystem

/// The distribution package a running program came from, as dpkg's database says: its name and
/// the one-line summary its maintainer wrote ("clementine: modern music player and library
/// organizer"). What the program is, in words a model can use when the name alone says nothing.
public struct PackageInfo: Sendable, Hashable, Codable {
    public var name: String
    public var summary: String

    public init(name: String, summary: String) {
        self.name = name
        self.summary = summary
    }
}

/// dpkg's database (`/var/lib/dpkg`): which installed package ships a path, and its summary. Only
/// root can write it; a process can still show any path as its exe from its own mount namespace,
/// so the caller attaches a package only when the running file is the file at that path as root
/// sees it (`SnapshotBuilder`).
public struct PackageDatabase: Sendable {
    public let directory: String

    public init(directory: String = "/var/lib/dpkg") {
        self.directory = directory
    }

    /// The owners of the given absolute paths; paths no installed package lists are absent. One
    /// pass over the file lists (a few hundred ms for ~1,000 packages), none when `paths` is empty.
    public func owners(of paths: Set<String>) -> [String: PackageInfo] {
        guard !paths.isEmpty, let listNames = try? FileManager.default.contentsOfDirectory(atPath: directory + "/info") else { return [:] }
        var ownerName: [String: String] = [:]
        for listName in listNames where listName.hasSuffix(".list") {
            guard let text = try? String(contentsOfFile: directory + "/info/" + listName, encoding: .utf8) else { continue }
            let package = String(listName.dropLast(5).split(separator: ":").first ?? "")
            for line in text.split(separator: "\n") {
                let path = Self.merged(String(line))
                if paths.contains(path), ownerName[path] == nil { ownerName[path] = package }
            }
        }
        guard !ownerName.isEmpty else { return [:] }
        let summaries = installedSummaries(of: Set(ownerName.values))
        return ownerName.compactMapValues { name in summaries[name].map { PackageInfo(name: name, summary: $0) } }
    }

    /// /bin, /sbin and /lib are /usr's on a merged-/usr system: the lists may name either.
    public static func merged(_ path: String) -> String {
        for top in ["/bin/", "/sbin/", "/lib/", "/lib64/"] where path.hasPrefix(top) { return "/usr" + path }
        return path
    }

    /// Package name -> the first line of its Description, for installed packages in `names`.
    func installedSummaries(of names: Set<String>) -> [String: String] {
        guard let status = try? String(contentsOfFile: directory + "/status", encoding: .utf8) else { return [:] }
        var summaries: [String: String] = [:]
        for stanza in status.components(separatedBy: "\n\n") {
            var package: String?, installed = false, summary: String?
            for line in stanza.split(separator: "\n") where !line.hasPrefix(" ") {
                if line.hasPrefix("Package: ") { package = String(line.dropFirst(9)) }
                if line.hasPrefix("Status: ") { installed = line.hasSuffix(" installed") }
                if line.hasPrefix("Description: ") { summary = String(line.dropFirst(13)) }
            }
            if let package, installed, let summary, names.contains(package) { summaries[package] = summary }
        }
        return summaries
    }
}
