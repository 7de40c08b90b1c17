// SPDX-License-Identifier: Apache-2.0
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real HTTP server on 127.0.0.1 (raw sockets, one thread per connection) that misbehaves the
/// way a hostile or broken model server can: an endless body, a huge declared body, or no answer
/// at all. GET /v1/models is answered normally unless `answersModels` is false, so the endpoint
/// probe finds it alive and the chat request itself meets the fault.
public final class HostileHTTPServer: @unchecked Sendable {
    public enum Behaviour: Sendable {
        /// 200, no Content-Length, then bytes until the client hangs up.
        case endlessBody
        /// 200 with `Content-Length: 2 GiB`, then bytes until the client hangs up.
        case hugeDeclaredBody
        /// Reads the request and never answers.
        case silent
    }

    public let behaviour: Behaviour
    public let answersModels: Bool
    public private(set) var port: UInt16 = 0
    private let listener: Int32
    private let lock = NSLock()
    private var connections: Set<Int32> = []
    private var sent = 0

    public var url: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// Bytes of body written to clients so far.
    public var bodyBytesSent: Int {
        lock.lock()
        defer { lock.unlock() }
        return sent
    }

    public init(_ behaviour: Behaviour, answersModels: Bool = true) throws {
        self.behaviour = behaviour
        self.answersModels = answersModels
        listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(listener, socketAddress, length) == 0 && listen(listener, 16) == 0
                    && getsockname(listener, socketAddress, &length) == 0
            }
        }
        guard bound else {
            close(listener)
            throw POSIXError(.init(rawValue: errno) ?? .EIO)
        }
        port = UInt16(bigEndian: address.sin_port)
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    /// Closes the listener and every connection.
    public func stop() {
        lock.lock()
        defer { lock.unlock() }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        for fd in connections { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    private func acceptLoop() {
        while true {
            let fd = accept(listener, nil, nil)
            guard fd >= 0 else {
                if errno == EINTR { continue }
                return
            }
            lock.lock()
            connections.insert(fd)
            lock.unlock()
            Thread.detachNewThread { [self] in
                serve(fd)
                lock.lock()
                connections.remove(fd)
                lock.unlock()
                close(fd)
            }
        }
    }

    private func serve(_ fd: Int32) {
        var head = [UInt8]()
        var byte = [UInt8](repeating: 0, count: 1)
        while !head.ends(with: Array("\r\n\r\n".utf8)) {
            guard read(fd, &byte, 1) == 1 else { return }
            head.append(byte[0])
        }
        if answersModels && head.starts(with: Array("GET /v1/models".utf8)) {
            let body = #"{"object": "list", "data": [{"id": "hostile"}]}"#
            _ = send(fd, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n" +
                     "Connection: close\r\n\r\n" + body)
            return
        }
        switch behaviour {
        case .silent:
            var sink = [UInt8](repeating: 0, count: 4096)
            while read(fd, &sink, sink.count) > 0 {}
        case .endlessBody:
            guard send(fd, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n") else { return }
            stream(fd)
        case .hugeDeclaredBody:
            guard send(fd, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2147483648\r\n\r\n") else { return }
            stream(fd)
        }
    }

    private func stream(_ fd: Int32) {
        let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 64 * 1024)
        while true {
            let written = chunk.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { return }
            lock.lock()
            sent += written
            lock.unlock()
        }
    }

    private func send(_ fd: Int32, _ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
    }
}

extension Array where Element == UInt8 {
    fileprivate func ends(with suffix: [UInt8]) -> Bool { count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix }
}
