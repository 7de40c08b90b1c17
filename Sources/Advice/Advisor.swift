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
        case .success(let verdict):
            return .verdict(verdict, promptTokens: completion.promptTokens, completionTokens: completion.completionTokens)
        case .failure(let failure):
            return .discarded(failure)
        }
    }
}
