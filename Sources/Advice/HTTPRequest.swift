// SPDX-License-Identifier: Apache-2.0
import CCurl
import Foundation

/// One HTTP exchange on libcurl, run on its own thread so the caller's task suspends without
/// spinning a CPU (URLSession on Linux busy-polls while it waits).
struct HTTPExchange: Sendable {
    struct Response: Sendable {
        var status: Int
        var body: Data
    }

    enum Failure: Error, Sendable {
        case timedOut
        /// The body was longer than the limit; the transfer was cut off there.
        case tooLarge(limit: Int)
        case transport(String)
    }

    /// The most body kept from one answer. A classification answer is under 1 KiB; this leaves
    /// room for token log-probabilities, and bounds what a hostile or broken server can make
    /// schedcat hold in memory.
    static let bodyLimit = 256 * 1024

    /// Connecting takes at most this long (or `timeout` when that is shorter).
    static let connectTimeout: TimeInterval = 10

    /// POST `body` (GET when nil); `timeout` in seconds for the whole exchange; a body longer
    /// than `limit` bytes fails the exchange as `tooLarge`.
    static func perform(_ url: URL, body: Data?, authorization: String?, timeout: TimeInterval,
                        limit: Int = bodyLimit) async -> Result<Response, Failure> {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(returning: performBlocking(url, body: body, authorization: authorization, timeout: timeout,
                                                               limit: limit))
            }
        }
    }

    private static func performBlocking(_ url: URL, body: Data?, authorization: String?, timeout: TimeInterval,
                                        limit: Int) -> Result<Response, Failure> {
        var status = 0
        var response = schedcat_http_body()
        var error = [CChar](repeating: 0, count: 256)
        let milliseconds = max(1, Int(timeout * 1000))
        let connectMilliseconds = max(1, Int(connectTimeout * 1000))
        let code: Int32 = url.absoluteString.withCString { urlText in
            (authorization.map { "Authorization: \($0)" }).withOptionalCString { authText in
                if let body {
                    return body.withUnsafeBytes { bytes in
                        schedcat_http_request(urlText, bytes.bindMemory(to: CChar.self).baseAddress, bytes.count, authText,
                                              milliseconds, connectMilliseconds, limit, &status, &response, &error, error.count)
                    }
                }
                return schedcat_http_request(urlText, nil, 0, authText, milliseconds, connectMilliseconds, limit, &status,
                                             &response, &error, error.count)
            }
        }
        defer { schedcat_http_free(&response) }
        guard code == 0 else {
            if schedcat_http_too_large(code, &response) != 0 { return .failure(.tooLarge(limit: limit)) }
            if schedcat_http_timed_out(code) != 0 { return .failure(.timedOut) }
            return .failure(.transport(String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)))
        }
        let data = response.data.map { Data(bytes: $0, count: response.length) } ?? Data()
        return .success(Response(status: status, body: data))
    }
}

extension Optional where Wrapped == String {
    func withOptionalCString<T>(_ body: (UnsafePointer<CChar>?) -> T) -> T {
        switch self {
        case .some(let text): return text.withCString { body($0) }
        case .none: return body(nil)
        }
    }
}
