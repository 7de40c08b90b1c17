// SPDX-License-Identifier: Apache-2.0
import FlyingFox
import Foundation

/// A local HTTP server that plays a scripted model: each request to /v1/chat/completions gets
/// the next scripted reply. It records the request bodies. For fault tests only: the real
/// model server is exercised by LocalModelTests.
actor StubModelServer {
    enum Reply: Sendable {
        case answer(String)
        case status(Int)
        case raw(String)
        case delay(seconds: Double, then: String)
    }

    // swiftlint:disable:next force_try
    private let server = HTTPServer(address: try! sockaddr_in.inet(ip4: "127.0.0.1", port: 0), timeout: 30)
    private var script: [Reply]
    private var fallback: Reply
    private(set) var requestBodies: [Data] = []
    private var task: Task<Void, Error>?

    init(script: [Reply], fallback: Reply = .status(500)) {
        self.script = script
        self.fallback = fallback
    }

    /// Starts listening; returns the endpoint URL (http://127.0.0.1:PORT).
    func start() async throws -> URL {
        await server.appendRoute("POST /v1/chat/completions") { [weak self] request in
            guard let self else { return HTTPResponse(statusCode: .internalServerError) }
            let body = try await request.bodyData
            return await self.respond(to: body)
        }
        task = Task { try await server.run() }
        try await server.waitUntilListening()
        guard case .ip4(_, let port)? = await server.listeningAddress else { throw URLError(.cannotConnectToHost) }
        return URL(string: "http://127.0.0.1:\(port)")!
    }

    func stop() async {
        await server.stop(timeout: 1)
        task?.cancel()
    }

    private func respond(to body: Data) async -> HTTPResponse {
        requestBodies.append(body)
        let reply = script.isEmpty ? fallback : script.removeFirst()
        switch reply {
        case .answer(let content): return Self.completion(content)
        case .status(let code): return HTTPResponse(statusCode: HTTPStatusCode(code, phrase: "Scripted"), body: Data("scripted".utf8))
        case .raw(let text): return HTTPResponse(statusCode: .ok, body: Data(text.utf8))
        case .delay(let seconds, let content):
            try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
            return Self.completion(content)
        }
    }

    static func completion(_ content: String) -> HTTPResponse {
        let object: [String: Any] = [
            "choices": [["index": 0, "message": ["role": "assistant", "content": content]]],
            "usage": ["prompt_tokens": 100, "completion_tokens": 10],
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
        return HTTPResponse(statusCode: .ok, headers: [.contentType: "application/json"], body: data)
    }
}
