import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Failures talking to a model server, each naming the endpoint.
public enum ModelError: Error, Sendable, CustomStringConvertible {
    case unreachable(endpoint: String, detail: String)
    case http(endpoint: String, status: Int, body: String)
    case malformedResponse(endpoint: String, detail: String)

    public var description: String {
        switch self {
        case let .unreachable(endpoint, detail): return "model endpoint \(endpoint) is unreachable: \(detail)"
        case let .http(endpoint, status, body): return "model endpoint \(endpoint) answered HTTP \(status): \(body)"
        case let .malformedResponse(endpoint, detail): return "model endpoint \(endpoint) sent a malformed response: \(detail)"
        }
    }
}

/// One chat completion: the assistant's text and what it cost.
public struct Completion: Sendable {
    public var content: String
    public var promptTokens: Int
    public var completionTokens: Int
}

/// An OpenAI-compatible `POST {endpoint}/v1/chat/completions` client on URLSession, with a
/// timeout per request and bounded retries with backoff on 429, 5xx and timeouts.
public struct ChatClient: Sendable {
    public let endpoint: URL
    public let apiKey: String?
    public let timeout: TimeInterval
    public let maxRetries: Int
    public let backoff: TimeInterval
    private let session: URLSession

    public init(endpoint: URL, apiKey: String? = ChatClient.apiKeyFromEnvironment(), timeout: TimeInterval = 120,
                maxRetries: Int = 3, backoff: TimeInterval = 0.5) {
        self.endpoint = endpoint
        self.apiKey = apiKey
        self.timeout = timeout
        self.maxRetries = maxRetries
        self.backoff = backoff
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        session = URLSession(configuration: configuration)
    }

    public static func apiKeyFromEnvironment() -> String? {
        let environment = ProcessInfo.processInfo.environment
        return [environment["SCHEDCAT_API_KEY"], environment["OPENAI_API_KEY"]].compactMap { $0 }.first { !$0.isEmpty }
    }

    var completionsURL: URL { endpoint.appendingPathComponent("v1/chat/completions") }

    public func complete(body: Data) async throws -> Completion {
        var request = URLRequest(url: completionsURL, timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        if let apiKey { request.setValue("Bearer \(apiKey)", forHTTPHeaderField: "Authorization") }

        var attempt = 0
        while true {
            attempt += 1
            let data: Data
            let response: URLResponse
            do {
                (data, response) = try await session.data(for: request)
            } catch where Self.isTimeout(error) && attempt <= maxRetries {
                try await pause(attempt, retryAfter: nil)
                continue
            } catch {
                let detail = Self.isTimeout(error) ? "no answer within \(Int(timeout)) s, \(attempt) attempt(s)" : error.localizedDescription
                throw ModelError.unreachable(endpoint: endpoint.absoluteString, detail: detail)
            }
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            if (status == 429 || status >= 500) && attempt <= maxRetries {
                let retryAfter = (response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Retry-After").flatMap(Double.init)
                try await pause(attempt, retryAfter: retryAfter)
                continue
            }
            guard status == 200 else {
                throw ModelError.http(endpoint: endpoint.absoluteString, status: status,
                                      body: String(decoding: data.prefix(300), as: UTF8.self))
            }
            return try parse(data)
        }
    }

    static func isTimeout(_ error: Error) -> Bool {
        let nsError = error as NSError
        return nsError.domain == NSURLErrorDomain && nsError.code == NSURLErrorTimedOut
    }

    private func pause(_ attempt: Int, retryAfter: Double?) async throws {
        let seconds = min(retryAfter ?? backoff * pow(2, Double(attempt - 1)), 30)
        try await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
    }

    private func parse(_ data: Data) throws -> Completion {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let choices = object["choices"] as? [[String: Any]],
              let message = choices.first?["message"] as? [String: Any],
              let content = message["content"] as? String else {
            throw ModelError.malformedResponse(endpoint: endpoint.absoluteString,
                                               detail: String(decoding: data.prefix(200), as: UTF8.self))
        }
        let usage = object["usage"] as? [String: Any]
        return Completion(content: content, promptTokens: usage?["prompt_tokens"] as? Int ?? 0,
                          completionTokens: usage?["completion_tokens"] as? Int ?? 0)
    }

    /// GET {endpoint}/v1/models within `timeout`: the first model id, or nil if the server does not answer.
    public static func probe(_ endpoint: URL, timeout: TimeInterval = 1.5) async -> (reachable: Bool, model: String?) {
        var request = URLRequest(url: endpoint.appendingPathComponent("v1/models"), timeoutInterval: timeout)
        if let key = apiKeyFromEnvironment() { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
        guard let (data, response) = try? await URLSession.shared.data(for: request),
              (response as? HTTPURLResponse)?.statusCode == 200 else { return (false, nil) }
        let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        let first = (object?["data"] as? [[String: Any]])?.first?["id"] as? String
        return (true, first)
    }
}
