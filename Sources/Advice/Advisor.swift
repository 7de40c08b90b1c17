// SPDX-License-Identifier: Apache-2.0
import Catalog
import Foundation

/// One advisor's answer for one process.
public enum AdvisorAnswer: Sendable {
    case verdict(Verdict, promptTokens: Int, completionTokens: Int)
    case discarded(DiscardFailure)
}

/// Something that proposes a type for a process: a model, or the offline heuristics.
public protocol Advisor: Sendable {
    /// Written to `source:` of the rules it proposes.
    var source: RuleSource { get }
    /// Written to `model:` (nil for the heuristic advisor).
    var modelName: String? { get }
    func classify(_ process: ProcessFeatures, name: String) async throws -> AdvisorAnswer
    /// Several processes at once, answers in the same order.
    func classify(batch: [(process: ProcessFeatures, name: String)]) async throws -> [AdvisorAnswer]
}

extension Advisor {
    public func classify(batch: [(process: ProcessFeatures, name: String)]) async throws -> [AdvisorAnswer] {
        var answers: [AdvisorAnswer] = []
        for item in batch { answers.append(try await classify(item.process, name: item.name)) }
        return answers
    }
}

/// Asks an OpenAI-compatible model, one short request per process.
public struct ModelAdvisor: Advisor {
    public let client: ChatClient
    public let prompt: ClassificationPrompt
    public let model: String

    public init(client: ChatClient, types: [CatalogType], model: String) {
        self.client = client
        self.prompt = ClassificationPrompt(types: types)
        self.model = model
    }

    public var source: RuleSource { .model }
    public var modelName: String? { model }

    public func classify(_ process: ProcessFeatures, name: String) async throws -> AdvisorAnswer {
        let completion = try await client.complete(body: prompt.requestBody(for: process, name: name, model: model))
        switch VerdictParser.parse(completion.content, name: name, allowed: prompt.allowedAnswers) {
        case .success(var verdict):
            verdict.confidence = completion.tokens.flatMap {
                TypeConfidence.ofAnswer(verdict.type ?? "unknown", in: completion.content, tokens: $0, allowed: prompt.allowedAnswers)
            }
            return .verdict(verdict, promptTokens: completion.promptTokens, completionTokens: completion.completionTokens)
        case .failure(let failure):
            return .discarded(failure)
        }
    }

    /// One request for the whole batch (measured worse than one request per process on small
    /// models; kept for `--batch` and its benchmark). Tokens are counted on the first answer.
    public func classify(batch: [(process: ProcessFeatures, name: String)]) async throws -> [AdvisorAnswer] {
        guard batch.count > 1 else { return [try await classify(batch[0].process, name: batch[0].name)] }
        let completion = try await client.complete(body: prompt.requestBody(forBatch: batch, model: model))
        let results = VerdictParser.parseBatch(completion.content, names: batch.map(\.name), allowed: prompt.allowedAnswers)
        return results.enumerated().map { index, result in
            switch result {
            case .success(let verdict):
                return .verdict(verdict, promptTokens: index == 0 ? completion.promptTokens : 0,
                                completionTokens: index == 0 ? completion.completionTokens : 0)
            case .failure(let failure):
                return .discarded(failure)
            }
        }
    }
}
