// SPDX-License-Identifier: Apache-2.0
import Foundation
import LinuxSystem

/// Where a running loader leaves what `scheduler status` reads: a JSON state file and the
/// counter maps pinned in bpffs.
public struct SchedulerPaths: Sendable {
    public var stateFile: String
    public var pinDirectory: String

    public init(stateFile: String = "/run/schedcat/scheduler.json", pinDirectory: String = "/sys/fs/bpf/schedcat") {
        self.stateFile = stateFile
        self.pinDirectory = pinDirectory
    }

    public static var fromEnvironment: SchedulerPaths {
        let env = ProcessInfo.processInfo.environment
        var paths = SchedulerPaths()
        if let file = env["SCHEDCAT_STATE_FILE"] { paths.stateFile = file }
        if let dir = env["SCHEDCAT_PIN_DIR"] { paths.pinDirectory = dir }
        return paths
    }

    func pin(_ map: String) -> String { "\(pinDirectory)/\(map)" }
}

/// What the loader writes at attach and after every reload.
public struct SchedulerState: Codable, Sendable {
    public struct ClassLabel: Codable, Sendable {
        public var id: UInt32
        public var label: String
    }

    public var pid: Int32
    public var catalog: String
    public var generation: UInt64
    public var attachedAt: Date
    public var reloadedAt: Date?
    public var rulesInEffect: Int
    public var rulesLoaded: Int
    public var commEntries: Int
    public var exeEntries: Int
    public var perProcessRules: Int
    public var pinnedProcesses: Int
    public var classes: [ClassLabel]

    func write(to path: String) throws {
        let directory = CheckedDirectory.split(path).directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(Array(try encoder.encode(self)), to: path, existing: .replace(keepBackup: false))
    }

    /// The state a loader left; nil when missing, unreadable or written by another user.
    static func read(from path: String) -> SchedulerState? {
        guard let bytes = try? PolicyFileReader.read(path, trusted: true) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(SchedulerState.self, from: Data(bytes))
    }
}

