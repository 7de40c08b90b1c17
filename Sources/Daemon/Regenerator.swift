// SPDX-License-Identifier: Apache-2.0
import Advice
import Catalog
import Config
import Foundation
import Profiling

/// What one regenerate tick did, one JSON line in the daemon's log.
public struct TickReport: Sendable, Encodable {
    public var tick: Int
    public var at: String
    public var summary: GenerateSummary?
    public var autoAccepted = 0
    public var error: String?
}

/// The daemon's periodic job: profile, ask about processes no rule covers yet (0 model calls when
/// nothing is new), write the proposals, auto-accept what the config allows.
public struct Regenerator: Sendable {
    public struct Settings: Sendable {
        public var catalogPath: String
        public var config: SchedcatConfig
        public var endpoint: String?
        public var model: String?
        public var window: Duration = .seconds(3)
        /// Only processes whose comm matches (for a daemon scoped to some programs, and tests).
        public var onlyComm: String?

        public init(catalogPath: String, config: SchedcatConfig) {
            self.catalogPath = catalogPath
            self.config = config
        }
    }

    let settings: Settings
    private var ticks = 0

    public init(settings: Settings) {
        self.settings = settings
    }

    public mutating func tick() async -> TickReport {
        ticks += 1
        var report = TickReport(tick: ticks, at: Snapshot.formatTimestamp(Date()))
        do {
            let snapshot = try await Sampler().snapshot(window: settings.window)
            var processes = snapshot.processes.map(ProcessFeatures.init)
            if let pattern = settings.onlyComm {
                let regex = try Regex(pattern)
                processes = processes.filter { $0.comm.wholeMatch(of: regex) != nil }
            }
            let path = settings.catalogPath
            let catalog = FileManager.default.fileExists(atPath: path)
                ? try CatalogFile.load(path) : try CatalogDocument(text: CatalogDocument.newFileText, file: path).catalog
            guard let (advisor, endpoint) = try await advisor(for: catalog, report: &report) else { return report }
            var summary = GenerateSummary(advisor: advisor.source == .model ? "model" : "heuristic",
                                          model: advisor.modelName, endpoint: endpoint)
            let candidates = Generator.candidates(processes, catalog: catalog, selfPID: getpid(), summary: &summary)
            let (rules, features, stoppedBy) = await Generator.advise(
                candidates, advisor: advisor, catalog: catalog, concurrency: settings.config.concurrency,
                minimumConfidence: settings.config.minimumConfidence,
                seen: Generator.today(), summary: &summary)
            if !rules.isEmpty {
                summary.proposed = try Generator.write(rules, to: path, features: features)
                report.autoAccepted = try autoAccept(rules, catalog: catalog)
            }
            if let stoppedBy { report.error = "\(stoppedBy); retrying at the next tick" }
            report.summary = summary
        } catch {
            report.error = "\(error)"
        }
        return report
    }

    /// The model when it answers, the heuristics when the config asks for them; nil (logged,
    /// retried next tick) when the model is configured but unreachable.
    private func advisor(for catalog: Catalog, report: inout TickReport) async throws -> (any Advisor, String?)? {
        switch try await AdvisorChoice.choose(heuristic: settings.config.advisor == .heuristic, endpoint: settings.endpoint,
                                              model: settings.model, configEndpoint: settings.config.endpoint,
                                              configModel: settings.config.model,
                                              timeout: settings.config.timeout ?? ChatClient.defaultTimeout, types: catalog.orderedTypes) {
        case .heuristic(let heuristic):
            return (heuristic, nil)
        case .model(let advisor, let endpoint, _, _):
            return (advisor, endpoint)
        case .unreachable(let reason):
            report.error = "\(reason); retrying at the next tick"
            return nil
        }
    }

    /// Accepts the new proposals the config allows: heuristic ones, model ones, and model ones
    /// that boost only when `model_boosts` says so.
    private func autoAccept(_ rules: [Rule], catalog: Catalog) throws -> Int {
        let policy = settings.config.autoAccept
        let chosen = rules.filter { rule in
            guard rule.status == .proposed else { return false }
            switch rule.source {
            case .heuristic: return policy.heuristic
            case .model: return policy.model && (policy.modelBoosts || !catalog.effectiveValues(of: rule).boosts)
            default: return false
            }
        }
        guard !chosen.isEmpty else { return 0 }
        var accepted = 0
        try CatalogStore.update(settings.catalogPath) { document in
            accepted = document.apply(chosen.map { ($0.identity, [.accept]) }).count("accept")
        }
        return accepted
    }
}
