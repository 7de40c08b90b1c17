// SPDX-License-Identifier: Apache-2.0
import Catalog
import Foundation

/// An offline advisor that reads only features (CPU share, context switches, IO, cgroup and unit
/// names, parent, well-known paths). It never proposes a type that boosts.
public struct HeuristicAdvisor: Advisor {
    public let types: [String: CatalogType]

    public init(types: [CatalogType]) {
        self.types = Dictionary(types.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public var source: RuleSource { .heuristic }
    public var modelName: String? { nil }

    static let backgroundNames: Set<String> = [
        "updatedb", "updatedb.plocate", "mandb", "man-db", "apt", "apt-get", "dpkg", "unattended-upgrade", "unattended-upgr",
        "packagekitd", "tracker-miner-fs-3", "tracker-miner-f", "baloo_file", "baloo_file_extr", "rsync", "borg", "restic",
        "duplicity", "fstrim", "logrotate", "btrfs", "e2scrub", "snapper", "flatpak", "fwupd", "fwupdmgr", "updatedb.mlocat",
    ]
    static let buildNames: Set<String> = [
        "make", "gmake", "ninja", "cmake", "gcc", "g++", "cc", "c++", "cc1", "cc1plus", "clang", "clang++", "ld", "ld.lld", "lld",
        "ld.gold", "rustc", "cargo", "swift-frontend", "swift-build", "go", "javac", "ghc", "as", "collect2", "ffmpeg", "x264", "x265",
    ]
    static let backgroundUnits = ["apt-daily", "man-db", "logrotate", "fstrim", "updatedb", "plocate", "mlocate", "unattended-upgrades",
                                  "packagekit", "e2scrub", "btrfs-scrub", "snapper", "fwupd-refresh"]
    static let schedulerParents: Set<String> = ["cron", "crond", "anacron", "atd"]

    public func classify(_ process: ProcessFeatures, name: String) async throws -> AdvisorAnswer {
        let (type, reason) = decide(process, name: name)
        guard let type, let values = types[type]?.values, !values.boosts else {
            return .verdict(Verdict(type: nil, reason: "heuristic: \(reason)"), promptTokens: 0, completionTokens: 0)
        }
        return .verdict(Verdict(type: type, reason: "heuristic: \(reason)"), promptTokens: 0, completionTokens: 0)
    }

    func decide(_ process: ProcessFeatures, name: String) -> (String?, String) {
        let cgroup = process.cgroup ?? ""
        let cpu = process.cpuPercent ?? 0
        let perThreadVoluntary = (process.voluntarySwitchesPerSecond ?? 0) / Double(max(process.threads, 1))
        let writes = process.writeBytesPerSecond ?? 0
        if process.pid == 1 || name.hasPrefix("systemd") || name == "init" {
            return (nil, "core system process, left alone")
        }
        if Self.backgroundNames.contains(name) || Self.backgroundNames.contains(process.comm) {
            return ("BG_CPUIO", "known background maintenance tool")
        }
        if let unit = Self.backgroundUnits.first(where: { cgroup.contains($0) }) {
            return ("BG_CPUIO", "runs in the \(unit) maintenance unit")
        }
        if let parent = process.parentComm, Self.schedulerParents.contains(parent) {
            return ("BG_CPUIO", "started by \(parent)")
        }
        if Self.buildNames.contains(name) || Self.buildNames.contains(process.comm) {
            return ("Heavy_CPU", "compiler, build or encoding tool")
        }
        if cpu >= 50 && perThreadVoluntary < 20 {
            let inSession = cgroup.contains("user.slice") || cgroup.contains("session")
            return inSession ? ("Heavy_CPU", "CPU-bound (\(Int(cpu))% CPU, rarely sleeps) in a user session")
                             : ("BG_CPUIO", "CPU-bound (\(Int(cpu))% CPU, rarely sleeps) outside any user session")
        }
        if writes >= 1_048_576 && cpu < 25 {
            return ("BG_CPU", "mostly writes (\(Int(writes / 1024)) KiB/s) with little CPU")
        }
        if cgroup.hasPrefix("/system.slice/") && cgroup.hasSuffix(".service") && cpu < 5 && (process.uid ?? 0) != 0 {
            return ("Service", "unprivileged system service, mostly idle")
        }
        return (nil, "no distinctive signal")
    }
}
