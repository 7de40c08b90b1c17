// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Where the model lives and what it is called, and how that was decided.
public struct ModelEndpoint: Sendable {
    public var url: URL
    public var model: String
    /// "flag", "environment", "config", or the local server that answered a probe.
    public var source: String
}

public enum EndpointResolver {
    /// The usual local OpenAI-compatible servers, probed in this order when nothing is configured.
    public static let localServers: [(name: String, url: String)] = [
        ("llama.cpp", "http://127.0.0.1:8080"), ("LM Studio", "http://127.0.0.1:1234"), ("Ollama", "http://127.0.0.1:11434"),
    ]

    /// Flag, then environment (SCHEDCAT_ENDPOINT / SCHEDCAT_MODEL), then config file; with none,
    /// probe the local servers. nil when nothing is configured and no local server answers.
    public static func resolve(endpoint flagEndpoint: String?, model flagModel: String?, configEndpoint: String?,
                               configModel: String?) async throws -> ModelEndpoint? {
        let environment = ProcessInfo.processInfo.environment
        let configured: (String, String)? = flagEndpoint.map { ($0, "flag") }
            ?? environment["SCHEDCAT_ENDPOINT"].flatMap { $0.isEmpty ? nil : ($0, "environment") }
            ?? configEndpoint.map { ($0, "config") }
        let model = flagModel ?? environment["SCHEDCAT_MODEL"].flatMap { $0.isEmpty ? nil : $0 } ?? configModel
        if let (text, source) = configured {
            guard let url = URL(string: text), url.scheme == "http" || url.scheme == "https", url.host != nil else {
                throw ModelError.unreachable(endpoint: text, detail: "not an http(s) URL")
            }
            let served = model == nil ? await ChatClient.probe(url).model : nil
            return ModelEndpoint(url: url, model: model ?? served ?? "default", source: source)
        }
        for server in localServers {
            let url = URL(string: server.url)!
            let probe = await ChatClient.probe(url)
            if probe.reachable {
                return ModelEndpoint(url: url, model: model ?? probe.model ?? "default", source: "\(server.name) at \(server.url)")
            }
        }
        return nil
    }
}
