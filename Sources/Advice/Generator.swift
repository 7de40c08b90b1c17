// SPDX-License-Identifier: Apache-2.0
import Catalog
import LinuxSystem
import Foundation

/// What a generate run did, for `--json` and the daemon's log.
public struct GenerateSummary: Sendable, Encodable {
    public var advisor: String
    public var model: String?
    public var endpoint: String?
    public var processes = 0
    /// Processes already matched by a rule, or the same name + exe as one asked about.
    public var cached = 0
    public var skipped = 0
    public var asked = 0
    public var answered = 0
    public var unknown = 0
    public var discarded = 0
    public var discardReasons: [String: Int] = [:]
    public var failed = 0
    public var proposed = 0
    /// Answers the evidence overruled (see `AdviceSafety`): proposed as the neutral type instead.
    public var heldByEvidence = 0
    /// Boosts and demotions the model was too unsure of (`AdviceSafety.minimumConfidence`): proposed as the neutral type.
    public var heldUnsure = 0
    public var seconds = 0.0
    /// The median request's seconds per process: what one more process costs once the server has
    /// the shared prompt prefix (`seconds` / `asked` also pays for the first, uncached request).
    public var medianSecondsPerProcess: Double?
    public var promptTokens = 0
    public var completionTokens = 0
    public var tokens: Int { promptTokens + completionTokens }
    /// Discarded answers and failed requests, one line each, for stderr.
    public var warnings: [String] = []

    enum CodingKeys: String, CodingKey {
        case advisor, model, endpoint, processes, cached, skipped, asked, answered, unknown, discarded
        case discardReasons = "discard_reasons", failed, proposed, heldByEvidence = "held_by_evidence", heldUnsure = "held_unsure", seconds
        case medianSecondsPerProcess = "median_s_per_process"
        case promptTokens = "prompt_tokens", completionTokens = "completion_tokens", tokens, warnings
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(advisor, forKey: .advisor)
        try container.encodeIfPresent(model, forKey: .model)
        try container.encodeIfPresent(endpoint, forKey: .endpoint)
        for (key, value) in [(CodingKeys.processes, processes), (.cached, cached), (.skipped, skipped), (.asked, asked),
                             (.answered, answered), (.unknown, unknown), (.discarded, discarded), (.failed, failed),
                             (.proposed, proposed), (.heldByEvidence, heldByEvidence), (.heldUnsure, heldUnsure), (.promptTokens, promptTokens), (.completionTokens, completionTokens),
                             (.tokens, tokens)] {
            try container.encode(value, forKey: key)
        }
        try container.encode(discardReasons, forKey: .discardReasons)
        try container.encode(warnings, forKey: .warnings)
        try container.encode((seconds * 1000).rounded() / 1000, forKey: .seconds)
        try container.encodeIfPresent(medianSecondsPerProcess.map { ($0 * 1000).rounded() / 1000 }, forKey: .medianSecondsPerProcess)
    }

    public init(advisor: String, model: String? = nil, endpoint: String? = nil) {
        self.advisor = advisor
        self.model = model
        self.endpoint = endpoint
    }
}

/// A process the advisor will be asked about, with the identity its rule would get.
public struct Candidate: Sendable {
    public var process: ProcessFeatures
    public var key: ProcessKey

    public init(process: ProcessFeatures, key: ProcessKey) {
        self.process = process
        self.key = key
    }
}

/// One advisor call's outcome for a run of candidates, by candidate position.
struct IndexedAnswers: Sendable {
    var indices: Range<Int>
    var result: Result<[AdvisorAnswer], Error>
    /// How long the request took, per process in it.
    var secondsPerProcess: Double

    init(_ indices: Range<Int>, _ advisor: any Advisor, _ candidates: [Candidate]) async {
        self.indices = indices
        let batch = indices.map { (process: candidates[$0].process, name: candidates[$0].key.name) }
        let started = ContinuousClock.now
        do {
            result = .success(try await batch.count == 1 ? [advisor.classify(batch[0].process, name: batch[0].name)]
                                                         : advisor.classify(batch: batch))
        } catch {
            result = .failure(error)
        }
        let elapsed = ContinuousClock.now - started
        secondsPerProcess = (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18) / Double(batch.count)
    }
}

/// Progress of a run: answered so far, total to ask.
public typealias ProgressHandler = @Sendable (_ done: Int, _ total: Int) -> Void

public enum Generator {
    /// Processes that need advice: not kernel threads, not schedcat itself, not matched by any
    /// rule (accepted, proposed or rejected), one per name + exe (+ script for interpreters).
    public static func candidates(_ processes: [ProcessFeatures], catalog: Catalog, selfPID: Int32,
                                  summary: inout GenerateSummary) -> [Candidate] {
        let matcher = RuleMatcher(catalog)
        var seen = Set<ProcessKey>()
        var out: [Candidate] = []
        var unnamable: [String] = []
        var unidentified = 0
        summary.processes = processes.count
        for process in processes {
            // PID 1 is the init system whatever its name: nothing a type could describe
            if process.kernelThread || process.pid == 1 || process.pid == selfPID || process.comm == "schedcat"
                || process.exe.map({ ProcessIdentity.basename($0) == "schedcat" }) == true {
                summary.skipped += 1
                continue
            }
            let key = ProcessKey(process)
            if key.unidentified {
                summary.skipped += 1
                unidentified += 1
                continue
            }
            // a process names itself: one called "a/b" or "" must not make the whole catalog invalid
            if CatalogParser.nameProblem(key.name) != nil {
                summary.skipped += 1
                unnamable.append("'\(key.name)' (pid \(process.pid))")
                continue
            }
            if matcher.match(process.identity, statuses: Set(RuleStatus.allCases)) != nil || !seen.insert(key).inserted {
                summary.cached += 1
                continue
            }
            out.append(Candidate(process: process, key: key))
        }
        if !unnamable.isEmpty {
            summary.warnings.append("skipped \(unnamable.count) process(es) whose name cannot be a rule name " +
                                    "(empty, or a path): \(unnamable.prefix(10).joined(separator: ", "))" +
                                    (unnamable.count > 10 ? ", ..." : ""))
        }
        if unidentified > 0 {
            summary.warnings.append("skipped \(unidentified) interpreter process(es) without a script schedcat can name " +
                                    "(none, inline code, or longer than \(ProcessKey.maxScriptLength) bytes)")
        }
        if out.count > maxCandidates {
            summary.warnings.append("\(out.count) new processes; asking about the first \(maxCandidates) now, the rest at the next run")
            summary.skipped += out.count - maxCandidates
            out.removeLast(out.count - maxCandidates)
        }
        return out
    }

    /// At most this many processes are asked about in one run, so a crowd of processes started
    /// to be noticed cannot grow the catalog without bound in one tick.
    public static let maxCandidates = 256

    /// Asks `advisor` about every candidate, at most `concurrency` at a time, and returns the
    /// proposed rules in candidate order. Stops early (keeping what was answered) if the model
    /// endpoint becomes unreachable; the error is returned beside the rules.
    public static func advise(_ candidates: [Candidate], advisor: any Advisor, catalog: Catalog, concurrency: Int,
                              batchSize: Int = 1, minimumConfidence: Double = AdviceSafety.minimumConfidence, seen: String,
                              summary: inout GenerateSummary,
                              progress: ProgressHandler? = nil) async -> (rules: [Rule], features: [RuleIdentity: ProcessFeatures],
                                                                          stoppedBy: Error?) {
        let started = Date()
        let size = max(1, batchSize)
        let chunks = stride(from: 0, to: candidates.count, by: size).map { $0..<min($0 + size, candidates.count) }
        let results = await withTaskGroup(of: IndexedAnswers.self, returning: [IndexedAnswers].self) { group in
            var pending = chunks.makeIterator()
            for _ in 0..<max(1, concurrency) {
                guard let chunk = pending.next() else { break }
                group.addTask { await IndexedAnswers(chunk, advisor, candidates) }
            }
            var collected: [IndexedAnswers] = []
            var done = 0
            var unreachable = false
            while let answers = await group.next() {
                collected.append(answers)
                done += answers.indices.count
                progress?(done, candidates.count)
                if case .failure(ModelError.unreachable) = answers.result { unreachable = true }
                if !unreachable, let chunk = pending.next() {
                    group.addTask { await IndexedAnswers(chunk, advisor, candidates) }
                }
            }
            return collected
        }
        var answers = [AdvisorAnswer?](repeating: nil, count: candidates.count)
        var stoppedBy: Error?
        for run in results {
            switch run.result {
            case .success(let batch):
                for (index, answer) in zip(run.indices, batch) { answers[index] = answer }
            case .failure(let error):
                summary.failed += run.indices.count
                summary.warnings.append("\(run.indices.map { candidates[$0].key.name }.joined(separator: ", ")): \(error)")
                if case ModelError.unreachable = error { stoppedBy = error }
            }
        }
        summary.asked = answers.count { $0 != nil } + summary.failed
        let latencies = results.filter { if case .success = $0.result { true } else { false } }.map(\.secondsPerProcess).sorted()
        if !latencies.isEmpty {
            let middle = latencies.count / 2
            summary.medianSecondsPerProcess = latencies.count % 2 == 1 ? latencies[middle] : (latencies[middle - 1] + latencies[middle]) / 2
        }
        var rules: [Rule] = []
        var features: [RuleIdentity: ProcessFeatures] = [:]
        for (candidate, answer) in zip(candidates, answers) {
            switch answer {
            case .verdict(let verdict, let promptTokens, let completionTokens)?:
                summary.answered += 1
                summary.promptTokens += promptTokens
                summary.completionTokens += completionTokens
                if verdict.type == nil { summary.unknown += 1 }
                let checked = AdviceSafety.check(verdict, process: candidate.process, catalog: catalog, advisor: advisor.source,
                                                 minimumConfidence: minimumConfidence)
                if checked.held { checked.unsure ? (summary.heldUnsure += 1) : (summary.heldByEvidence += 1) }
                let rule = proposal(candidate, checked.verdict, advisor: advisor, catalog: catalog, seen: seen)
                rules.append(rule)
                features[rule.identity] = features[rule.identity] ?? candidate.process
            case .discarded(let failure)?:
                summary.discarded += 1
                summary.warnings.append("\(candidate.key.name): answer discarded (\(failure.reason.rawValue): \(failure.detail))")
                summary.discardReasons[failure.reason.rawValue, default: 0] += 1
            case nil:
                break
            }
        }
        summary.seconds += Date().timeIntervalSince(started)
        return (rules, features, stoppedBy)
    }

    /// The rule a verdict becomes. Numbers come from the type, never from the model. A boosting
    /// type gets an `exe:` pin when the process runs the very file at that path in root's mount
    /// namespace and it is no interpreter, so another binary with the same name does not inherit
    /// the boost. "unknown" becomes a rejected rule: known, nothing applied.
    static func proposal(_ candidate: Candidate, _ verdict: Verdict, advisor: any Advisor, catalog: Catalog, seen: String) -> Rule {
        var identity = candidate.key.identity
        if let type = verdict.type, catalog.types[type]?.values.boosts == true {
            identity.exe = pinnableExe(candidate.process)
        }
        let rule = Rule(identity: identity, type: verdict.type, status: verdict.type == nil ? .rejected : .proposed,
                        source: advisor.source, model: advisor.modelName,
                        reason: verdict.type == nil ? "unknown: \(verdict.reason)" : verdict.reason, seen: seen,
                        confidence: advisor.source == .model ? verdict.confidence.map { ($0 * 100).rounded() / 100 } : nil)
        return RuleFingerprint.stamped(rule)
    }

    /// The exe path a boost may be pinned to: the running file itself, seen from root's mount
    /// namespace, not an interpreter (a pin to python3 would boost every python program), and a
    /// file only root can change (a user could rewrite their own file to run anything).
    static func pinnableExe(_ process: ProcessFeatures) -> String? {
        guard let exe = process.exe, let running = process.exeFile, !ExecutableTrust.isInterpreterPath(exe),
              let atPath = ExecutableTrust().trustedFile(exe), atPath.isSameFile(as: running) else { return nil }
        return exe
    }

    /// Today's date as the catalog's `seen:` value (UTC).
    public static func today() -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.locale = Locale(identifier: "en_US_POSIX")
        return formatter.string(from: Date())
    }

    /// Appends the rules whose identity the file does not hold yet (re-checked under the lock);
    /// returns how many were added.
    /// `features` (by rule identity) are kept in the evidence file beside the catalog for review.
    @discardableResult
    public static func write(_ rules: [Rule], to path: String, features: [RuleIdentity: ProcessFeatures] = [:]) throws -> Int {
        var added = 0
        try CatalogStore.update(path, createIfMissing: true) { document in
            var present = Set(document.catalog.rules.map(\.identity))
            // two binaries with one name may well get the same unpinned rule: keep the first
            let fresh = rules.filter { present.insert($0.identity).inserted }
            added = fresh.count
            document.append(fresh)
            if !fresh.isEmpty && !features.isEmpty {
                var evidence = Evidence.load(for: path)
                for rule in fresh { evidence.processes[rule.identity.description] = features[rule.identity]?.abbreviated }
                try evidence.save(for: path)
            }
        }
        return added
    }
}
