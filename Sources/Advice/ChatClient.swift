// SPDX-License-Identifier: Apache-2.0
import Foundation

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
    /// The generated tokens with their log-probabilities, when the server sent them.
    public var tokens: [TokenLogprob]? = nil
}

/// One generated token, its natural-log probability, and the most likely alternatives at its place.
public struct TokenLogprob: Sendable, Hashable {
    public var text: String
    public var logprob: Double
    public var alternatives: [Alternative]

    public struct Alternative: Sendable, Hashable {
        public var text: String
        public var logprob: Double

        public init(text: String, logprob: Double) {
            self.text = text
            self.logprob = logprob
        }
    }

    public init(text: String, logprob: Double, alternatives: [Alternative]) {
        self.text = text
        self.logprob = logprob
        self.alternatives = alternatives
    }

    /// `choices[0].logprobs.content` of an OpenAI-compatible answer; nil when absent or malformed.
    static func list(_ logprobs: Any?) -> [TokenLogprob]? {
        guard let entries = (logprobs as? [String: Any])?["content"] as? [[String: Any]] else { return nil }
        var out: [TokenLogprob] = []
        for entry in entries {
            guard let text = entry["token"] as? String, let logprob = (entry["logprob"] as? NSNumber)?.doubleValue else { return nil }
            let alternatives = (entry["top_logprobs"] as? [[String: Any]] ?? []).compactMap { item -> Alternative? in
                guard let text = item["token"] as? String, let logprob = (item["logprob"] as? NSNumber)?.doubleValue else { return nil }
                return Alternative(text: text, logprob: logprob)
            }
            out.append(TokenLogprob(text: text, logprob: logprob, alternatives: alternatives))
        }
        return out
    }
}

/// An OpenAI-compatible `POST {endpoint}/v1/chat/completions` client (libcurl underneath), with
/// bounded retries with backoff on 429, 5xx and timeouts. Every bound is on what the server
/// controls: an answer's body is cut off at `HTTPExchange.bodyLimit` bytes, one attempt takes
/// at most `timeout` seconds, and one request, retries and pauses included, at most
/// `2 × timeout` (a server that never answers costs two attempts, not `maxRetries + 1`).
public struct ChatClient: Sendable {
    /// Seconds per attempt when neither `--timeout` nor the config's `timeout` says otherwise.
    public static let defaultTimeout: TimeInterval = 120

    public let endpoint: URL
    public let apiKey: String?
    public let timeout: TimeInterval
    public let maxRetries: Int
    public let backoff: TimeInterval

    public init(endpoint: URL, apiKey: String? = ChatClient.apiKeyFromEnvironment(), timeout: TimeInterval = ChatClient.defaultTimeout,
                maxRetries: Int = 3, backoff: TimeInterval = 0.5) {
        self.endpoint = endpoint
        self.apiKey = apiKey
        self.timeout = timeout
        self.maxRetries = maxRetries
        self.backoff = backoff
    }

    public static func apiKeyFromEnvironment() -> String? {
        let environment = ProcessInfo.processInfo.environment
        return [environment["SCHEDCAT_API_KEY"], environment["OPENAI_API_KEY"]].compactMap { $0 }.first { !$0.isEmpty }
    }

    var completionsURL: URL { endpoint.appendingPathComponent("v1/chat/completions") }

    public func complete(body: Data) async throws -> Completion {
        let clock = ContinuousClock()
        let started = clock.now
        let deadline = started + .seconds(2 * timeout)
        var attempt = 0
        while true {
            attempt += 1
            let left = seconds(deadline - clock.now)
            let result = await HTTPExchange.perform(completionsURL, body: body, authorization: apiKey.map { "Bearer \($0)" },
                                                    timeout: min(timeout, max(left, 0.001)))
            switch result {
            case .failure(.timedOut):
                if attempt <= maxRetries, try await pause(attempt, before: deadline) { continue }
                throw ModelError.unreachable(endpoint: endpoint.absoluteString, detail: String(
                    format: "no answer within %g s per attempt, %d attempt(s) in %.1f s", timeout, attempt, seconds(clock.now - started)))
            case .failure(.tooLarge(let limit)):
                throw ModelError.malformedResponse(endpoint: endpoint.absoluteString, detail: "response larger than \(limit) bytes")
            case .failure(.transport(let message)):
                throw ModelError.unreachable(endpoint: endpoint.absoluteString, detail: message)
            case .success(let response) where (response.status == 429 || response.status >= 500) && attempt <= maxRetries:
                if try await pause(attempt, before: deadline) { continue }
                throw ModelError.http(endpoint: endpoint.absoluteString, status: response.status,
                                      body: String(decoding: response.body.prefix(300), as: UTF8.self))
            case .success(let response) where response.status != 200:
                throw ModelError.http(endpoint: endpoint.absoluteString, status: response.status,
                                      body: String(decoding: response.body.prefix(300), as: UTF8.self))
            case .success(let response):
                return try parse(response.body)
            }
        }
    }

    /// Waits before retry number `attempt`; false, without waiting, when too little of the
    /// request's time would be left for another attempt.
    private func pause(_ attempt: Int, before deadline: ContinuousClock.Instant) async throws -> Bool {
        let wait = min(backoff * pow(2, Double(attempt - 1)), 30)
        let left = seconds(deadline - ContinuousClock.now)
        guard left - wait >= min(1, timeout / 4) else { return false }
        try await Task.sleep(for: .seconds(wait))
        return true
    }

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
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
                          completionTokens: usage?["completion_tokens"] as? Int ?? 0,
                          tokens: TokenLogprob.list(choices.first?["logprobs"]))
    }

    /// GET {endpoint}/v1/models within `timeout`: whether it answers, and the first model id.
    public static func probe(_ endpoint: URL, timeout: TimeInterval = 1.5) async -> (reachable: Bool, model: String?) {
        let result = await HTTPExchange.perform(endpoint.appendingPathComponent("v1/models"), body: nil,
                                                authorization: apiKeyFromEnvironment().map { "Bearer \($0)" }, timeout: timeout)
        guard case .success(let response) = result, response.status == 200 else { return (false, nil) }
        let object = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any]
        let first = (object?["data"] as? [[String: Any]])?.first?["id"] as? String
        return (true, first)
    }
}
