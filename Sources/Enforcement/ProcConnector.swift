// SPDX-License-Identifier: Apache-2.0
import CLinuxSyscalls
#if canImport(Glibc)
import Glibc
#endif

/// The kernel's process events connector (netlink, CN_IDX_PROC): tells within milliseconds
/// that a process exec'd or renamed itself. Needs CAP_NET_ADMIN; when it cannot be opened the
/// caller falls back to rescanning /proc.
public final class ProcConnector {
    public enum Event: Equatable {
        case exec(tgid: Int32)
        case rename(tgid: Int32)
        case fork(child: Int32)
    }

    private let fd: Int32
    private static let eventFork: UInt32 = 0x1, eventExec: UInt32 = 0x2, eventComm: UInt32 = 0x200

    /// nil when the connector is not available (no permission, no CONFIG_PROC_EVENTS).
    public init?() {
        fd = schedcat_proc_connector_open()
        guard fd >= 0 else { return nil }
    }

    deinit {
        _ = schedcat_proc_connector_control(fd, 0)
        close(fd)
    }

    /// Events that arrive within `timeout` seconds (none on timeout).
    public func wait(timeout: Double) -> [Event] {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, Int32(timeout * 1000)) > 0 else { return [] }
        var events: [Event] = []
        var buffer = [UInt8](repeating: 0, count: 8192)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            guard count > 0 else { break }
            if let event = Self.parse(Array(buffer[0..<count])) { events.append(event) }
        }
        return events
    }

    /// nlmsghdr (16 bytes), cn_msg (20), proc_event: what, cpu, timestamp (16), then the event data.
    static func parse(_ bytes: [UInt8]) -> Event? {
        guard bytes.count >= 60 else { return nil }
        func u32(_ offset: Int) -> UInt32 {
            bytes[offset..<offset + 4].enumerated().reduce(0) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
        }
        let data = 16 + 20 + 16
        switch u32(36) {
        case eventExec: return .exec(tgid: Int32(bitPattern: u32(data + 4)))
        case eventComm: return .rename(tgid: Int32(bitPattern: u32(data + 4)))
        case eventFork: return .fork(child: Int32(bitPattern: u32(data + 12)))
        default: return nil
        }
    }
}
