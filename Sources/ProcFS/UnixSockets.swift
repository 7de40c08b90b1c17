// SPDX-License-Identifier: Apache-2.0
#if canImport(Glibc)
import Glibc
#endif

/// The unix sockets of schedcat's network namespace with their names and peers, from the
/// kernel's sock_diag netlink interface (what `ss -x` reads). /proc/net/unix names only the
/// bound end; a client's socket is nameless there, and only its peer (the server's accepted
/// socket, which carries the listener's name) says what it is connected to.
public struct UnixSocketTable: Sendable {
    public struct Entry: Sendable, Hashable {
        /// The bound path; abstract names start with "@".
        public var name: String?
        /// The inode of the socket at the other end of a connection.
        public var peer: UInt64?
        public var listening: Bool
    }

    public var entries: [UInt64: Entry]
    /// The name of the named socket whose peer each nameless socket is (a server's accepted end
    /// names its client even while the client's own peer is not listed).
    private var namedPeers: [UInt64: String] = [:]

    public init(entries: [UInt64: Entry]) {
        self.entries = entries
        for entry in entries.values {
            if let name = entry.name, let peer = entry.peer { namedPeers[peer] = name }
        }
    }

    /// The name a socket is bound to, or else the name of its peer.
    public func endpointName(of inode: UInt64) -> String? {
        let entry = entries[inode]
        return entry?.name ?? entry?.peer.flatMap { entries[$0]?.name } ?? namedPeers[inode]
    }

    /// At most `limit` sockets; nil when the kernel cannot be asked (no sock_diag, no permission).
    public static func read(limit: Int = 1 << 16) -> UnixSocketTable? {
        let fd = socket(AF_NETLINK, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), netlinkSockDiag)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let request = dumpRequest()
        let sent = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        guard sent == request.count else { return nil }
        var entries: [UInt64: Entry] = [:]
        var buffer = [UInt8](repeating: 0, count: 32 * 1024)
        while entries.count < limit {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return nil }
            switch parse(buffer[0..<count], into: &entries) {
            case .more: continue
            case .done: return UnixSocketTable(entries: entries)
            case .failed: return nil
            }
        }
        return UnixSocketTable(entries: entries)
    }

    // include/uapi/linux/{netlink,sock_diag,unix_diag}.h
    static let netlinkSockDiag: Int32 = 4
    static let sockDiagByFamily: UInt16 = 20
    static let nlmsgDone: UInt16 = 3, nlmsgError: UInt16 = 2
    static let showName: UInt32 = 1, showPeer: UInt32 = 4
    static let attributeName: UInt16 = 0, attributePeer: UInt16 = 2
    static let stateListen: UInt8 = 10

    /// nlmsghdr + unix_diag_req: dump every state, with names and peers.
    static func dumpRequest() -> [UInt8] {
        var bytes: [UInt8] = []
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value) { bytes.append(contentsOf: $0) } }
        append(UInt32(16 + 24))
        append(sockDiagByFamily)
        append(UInt16(0x1 | 0x300))   // NLM_F_REQUEST | NLM_F_DUMP
        append(UInt32(1))
        append(UInt32(0))
        append(UInt8(AF_UNIX))
        append(UInt8(0))
        append(UInt16(0))
        append(UInt32.max)            // every state
        append(UInt32(0))
        append(showName | showPeer)
        append(UInt32.max)            // no cookie
        append(UInt32.max)
        return bytes
    }

    enum Progress { case more, done, failed }

    static func parse(_ bytes: ArraySlice<UInt8>, into entries: inout [UInt64: Entry]) -> Progress {
        var offset = bytes.startIndex
        while offset + 16 <= bytes.endIndex {
            let length = Int(load(UInt32.self, bytes, offset))
            let type = load(UInt16.self, bytes, offset + 4)
            guard length >= 16, offset + length <= bytes.endIndex else { return .failed }
            if type == nlmsgDone { return .done }
            if type == nlmsgError { return .failed }
            if type == sockDiagByFamily, length >= 32 {
                let message = offset + 16
                let state = bytes[message + 2]
                let inode = UInt64(load(UInt32.self, bytes, message + 4))
                var entry = Entry(name: nil, peer: nil, listening: state == stateListen)
                var attribute = message + 16
                while attribute + 4 <= offset + length {
                    let attributeLength = Int(load(UInt16.self, bytes, attribute))
                    let attributeType = load(UInt16.self, bytes, attribute + 2)
                    guard attributeLength >= 4, attribute + attributeLength <= offset + length else { break }
                    let data = bytes[(attribute + 4)..<(attribute + attributeLength)]
                    if attributeType == attributeName, !data.isEmpty { entry.name = socketName(data) }
                    if attributeType == attributePeer, data.count >= 4 { entry.peer = UInt64(load(UInt32.self, bytes, data.startIndex)) }
                    attribute += (attributeLength + 3) & ~3
                }
                entries[inode] = entry
            }
            offset += (length + 3) & ~3
        }
        return .more
    }

    /// A sun_path: abstract names (a leading NUL) are shown with "@", as `ss` does.
    static func socketName(_ data: ArraySlice<UInt8>) -> String {
        if data.first == 0 { return "@" + String(decoding: data.dropFirst(), as: UTF8.self) }
        return String(decoding: data.prefix { $0 != 0 }, as: UTF8.self)
    }

    private static func load<T: FixedWidthInteger>(_: T.Type, _ bytes: ArraySlice<UInt8>, _ at: Int) -> T {
        var value: T = 0
        withUnsafeMutableBytes(of: &value) { raw in
            for index in 0..<MemoryLayout<T>.size { raw[index] = bytes[at + index] }
        }
        return T(littleEndian: value)
    }
}
