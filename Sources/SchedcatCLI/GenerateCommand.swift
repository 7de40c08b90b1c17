// SPDX-License-Identifier: Apache-2.0
import Advice
import ArgumentParser
import Catalog
import Config
import Foundation
import LinuxSystem

struct GenerateCatalog: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Ask a model (or the offline heuristics) about processes no rule covers yet; add its proposals to the catalog.")

    enum AdvisorKind: String, ExpressibleByArgument, CaseIterable { case model, heuristic }

    @OptionGroup var input: SnapshotInput
    @Option(help: "The catalog to update (created when missing; default: 'catalog' in the config file).") var catalog: String?
    @Option(help: "OpenAI-compatible endpoint, e.g. http://127.0.0.1:8080 (default: $SCHEDCAT_ENDPOINT, config, local servers).")
    var endpoint: String?
    @Option(help: "Model name sent to the endpoint (default: $SCHEDCAT_MODEL, config, or what the server serves).") var model: String?
    @Option(help: "model, or heuristic (offline, never boosts).") var advisor: AdvisorKind = .model
    @Option(help: ArgumentHelp(modelTimeoutHelp, valueName: "seconds")) var timeout: Double?
    @Option(help: "Requests in flight at once.") var concurrency: Int?
    @Option(help: "How sure the model must be of a boost or a demotion, 0..1 (default: config, else 0.5); below it the proposal is IN_DIFF.")
    var minConfidence: Double?
    @Option(help: "Processes per request (1 = one short request each, measured best on small models).") var batch = 1
    @Flag(help: "Print the proposals; change nothing.") var dryRun = false
    @Flag(help: "Print a JSON summary (asked, answered, discarded, cached, seconds, tokens).") var json = false
    @Flag(help: "Fail instead of falling back to the heuristics when no model answers.") var noFallback = false
    @Option(help: "Config file.") var config: String?

    func validate() throws {
        try validateModelTimeout(timeout)
        if let minConfidence, !(0...1).contains(minConfidence) {
            throw ValidationError("--min-confidence must be between 0 and 1 (got \(minConfidence))")
        }
    }

    func run() async throws {
        let settings = try loadConfig(config)
        let path = try catalogPath(catalog, settings, config: config)
        let current = try reportingErrors {
            FileManager.default.fileExists(atPath: path)
                ? try CatalogFile.load(path) : try CatalogDocument(text: CatalogDocument.newFileText, file: path).catalog
        }
        let processes = try await input.processes()
        let chosen = try await chooseAdvisor(settings, catalog: current)
        var summary = GenerateSummary(advisor: chosen.advisor.source == .model ? "model" : "heuristic",
                                      model: chosen.advisor.modelName, endpoint: chosen.endpoint)
        let candidates = Generator.candidates(processes, catalog: current, selfPID: getpid(), summary: &summary)
        let progress = ProgressLine(enabled: !json && isatty(2) != 0, total: candidates.count)
        let (rules, features, stoppedBy) = await Generator.advise(
            candidates, advisor: chosen.advisor, catalog: current, concurrency: concurrency ?? settings.concurrency,
            batchSize: batch, minimumConfidence: minConfidence ?? settings.minimumConfidence, seen: Generator.today(), summary: &summary, progress: { done, total in progress.update(done, total) })
        progress.finish()
        for warning in summary.warnings { printError("warning: \(warning.escapedForTerminal)") }
        if dryRun {
            for rule in rules { print(CatalogWriter.ruleLine(rule).escapedForTerminal) }
        } else if !rules.isEmpty {
            summary.proposed = try reportingErrors { try Generator.write(rules, to: path, features: features) }
        }
        if json {
            try printJSON(summary)
        } else {
            print("\(summary.advisor)\(summary.model.map { " \($0.escapedForTerminal)" } ?? ""): \(summary.processes) processes, " +
                  "\(summary.cached) already covered, \(summary.skipped) skipped, asked \(summary.asked), answered \(summary.answered) " +
                  "(\(summary.unknown) unknown), discarded \(summary.discarded), failed \(summary.failed); " +
                  (dryRun ? "\(rules.count) proposals (dry run)" : "\(summary.proposed) proposals added to \(path)") +
                  String(format: " in %.1f s, %d tokens", summary.seconds, summary.tokens))
        }
        if let stoppedBy {
            printError("error: \("\(stoppedBy)".escapedForTerminal)")
            throw Exit.failure
        }
    }

    private func chooseAdvisor(_ settings: SchedcatConfig, catalog: Catalog) async throws -> (advisor: any Advisor, endpoint: String?) {
        switch try await AdvisorChoice.choose(heuristic: advisor == .heuristic, endpoint: endpoint, model: model,
                                              configEndpoint: settings.endpoint, configModel: settings.model,
                                              timeout: timeout ?? settings.timeout ?? ChatClient.defaultTimeout,
                                              types: catalog.orderedTypes) {
        case .heuristic(let heuristic):
            return (heuristic, nil)
        case .model(let advisor, let endpoint, let model, let source):
            printError("using model '\(model.escapedForTerminal)' at \(endpoint) (\(source))")
            return (advisor, endpoint)
        case .unreachable(let reason):
            try fallBack(reason)
            return (HeuristicAdvisor(types: catalog.orderedTypes), nil)
        }
    }

    private func fallBack(_ reason: String) throws {
        let why = reason.escapedForTerminal
        if noFallback {
            printError("error: \(why)")
            throw Exit.failure
        }
        printError("""
            ************************************************************************
            WARNING: \(why).
            Falling back to the offline heuristic advisor (it never boosts).
            Start a model with scripts/local-model start, or pass --endpoint URL.
            ************************************************************************
            """)
    }
}

/// "[#######.............] 12/40, 2.1 s each, ETA 59 s" on one stderr line, redrawn in place.
final class ProgressLine: @unchecked Sendable {
    private let enabled: Bool
    private let started = Date()
    private let lock = NSLock()

    init(enabled: Bool, total: Int) {
        self.enabled = enabled && total > 0
    }

    func update(_ done: Int, _ total: Int) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let elapsed = Date().timeIntervalSince(started)
        let each = elapsed / Double(max(done, 1))
        let eta = each * Double(total - done)
        let width = 20, filled = total > 0 ? min(width, done * width / total) : 0
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let line = "\r\u{1B}[K[\(bar)] \(done)/\(total), " + String(format: "%.1f", each) + " s each, ETA " + Self.duration(eta)
        FileHandle.standardError.write(Data(line.utf8))
    }

    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        return whole < 60 ? "\(whole) s" : String(format: "%d min %02d s", whole / 60, whole % 60)
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
