// SPDX-License-Identifier: Apache-2.0
import Catalog
import Foundation

/// Which advisor a run uses: the heuristics when asked for, else the model at the first
/// endpoint that answers (flag, environment, config, then the usual local servers). One
/// definition for `catalog generate` and the daemon; each decides what "unreachable" means.
public enum AdvisorChoice: Sendable {
    case heuristic(HeuristicAdvisor)
    case model(ModelAdvisor, endpoint: String, model: String, source: String)
    /// A model was wanted and none answers; the reason names the endpoint.
    case unreachable(reason: String)

    public static func choose(heuristic: Bool, endpoint: String?, model: String?, configEndpoint: String?, configModel: String?,
                              timeout: TimeInterval, types: [CatalogType]) async throws -> AdvisorChoice {
        if heuristic { return .heuristic(HeuristicAdvisor(types: types)) }
        let found: ModelEndpoint?
        do {
            found = try await EndpointResolver.resolve(endpoint: endpoint, model: model, configEndpoint: configEndpoint,
                                                       configModel: configModel)
        } catch let error as ModelError {
            return .unreachable(reason: "\(error)")
        }
        if let found, await ChatClient.probe(found.url).reachable {
            return .model(ModelAdvisor(client: ChatClient(endpoint: found.url, timeout: timeout), types: types, model: found.model),
                          endpoint: found.url.absoluteString, model: found.model, source: found.source)
        }
        if let name = endpoint ?? ProcessInfo.processInfo.environment["SCHEDCAT_ENDPOINT"] ?? configEndpoint ?? found?.url.absoluteString {
            return .unreachable(reason: "model endpoint \(name) is unreachable")
        }
        return .unreachable(reason: "no model endpoint configured and none answering on " +
                                    EndpointResolver.localServers.map(\.url).joined(separator: ", "))
    }
}
