// SPDX-License-Identifier: Apache-2.0
import ProcFS

/// What the kernel shows about a process that says a person would notice if it were slowed
/// down (realtime threads, a sound device, an audio or display server connection). Read once, in
/// the snapshot's second pass; optional in the snapshot (`signals`), absent from older files.
public struct ProcessSignals: Sendable, Hashable, Codable {
    /// Threads scheduled SCHED_FIFO, SCHED_RR or SCHED_DEADLINE (rtkit gives audio engines these).
    public var realtimeThreads: Int
    /// An open ALSA character device (major 116, what /dev/snd/* are).
    public var audioDevice: Bool
    /// A unix socket bound to, or connected to, a PipeWire or PulseAudio socket.
    public var audioSocket: Bool
    /// A unix socket bound to, or connected to, an X11 or Wayland display socket.
    public var displaySocket: Bool
    /// Listens on a display or audio server socket itself: it is the server.
    public var servesDisplayOrAudio: Bool
    /// More descriptors or threads than were looked at.
    public var truncated: Bool

    public init(realtimeThreads: Int = 0, audioDevice: Bool = false, audioSocket: Bool = false, displaySocket: Bool = false,
                servesDisplayOrAudio: Bool = false, truncated: Bool = false) {
        self.realtimeThreads = realtimeThreads
        self.audioDevice = audioDevice
        self.audioSocket = audioSocket
        self.displaySocket = displaySocket
        self.servesDisplayOrAudio = servesDisplayOrAudio
        self.truncated = truncated
    }

    enum CodingKeys: String, CodingKey {
        case realtimeThreads = "realtime_threads", audioDevice = "audio_device", audioSocket = "audio_socket"
        case displaySocket = "display_socket", servesDisplayOrAudio = "serves_display_or_audio", truncated
    }

    /// Descriptors and threads looked at per process: enough for any audio or desktop program,
    /// bounded for a process with a million open files.
    public static let descriptorLimit = 4096
    public static let threadLimit = 4096
    /// ALSA's character device major (Documentation/admin-guide/devices.txt).
    public static let alsaMajor: UInt32 = 116

    /// Reads them from `procfs`; `sockets` is the socket table of this read (nil: sockets unknown).
    public static func read(_ pid: Int32, threads: Int, procfs: ProcFS, sockets: UnixSocketTable?) -> ProcessSignals {
        var signals = ProcessSignals()
        let policies = procfs.threadPolicies(pid, limit: threadLimit)
        signals.realtimeThreads = policies.count { SchedPolicyNumber.isRealtime($0) }
        let descriptors = procfs.descriptorTargets(pid, limit: descriptorLimit)
        signals.truncated = descriptors.count >= descriptorLimit || threads > threadLimit
        for (fd, target) in descriptors {
            if let inode = ProcFS.socketInode(target) {
                guard let sockets, let name = sockets.endpointName(of: inode) else { continue }
                let kind = ServerSocketKind(name)
                signals.audioSocket = signals.audioSocket || kind == .audio
                signals.displaySocket = signals.displaySocket || kind == .display
                if kind != nil, sockets.entries[inode]?.listening == true { signals.servesDisplayOrAudio = true }
            } else if mayBeDevice(target), procfs.characterDeviceMajor(pid, fd: fd) == alsaMajor {
                signals.audioDevice = true
            }
        }
        return signals
    }

    /// Only device nodes are stat'ed: a stat through the descriptor of an ordinary file could wait
    /// on a hung network or FUSE file system. Nodes live in /dev, or are named like ALSA's.
    static func mayBeDevice(_ target: String) -> Bool {
        guard target.hasPrefix("/") else { return false }
        if target.hasPrefix("/dev/") { return true }
        let base = target.split(separator: "/").last ?? ""
        return ["pcmC", "controlC", "midiC", "hwC", "seq", "timer"].contains { base.hasPrefix($0) }
    }
}

/// The server a unix socket name belongs to: PipeWire (`pipewire-0`, `pipewire-0-manager`),
/// PulseAudio (`.../pulse/native`), X11 (`/tmp/.X11-unix/X0`, abstract or not), Wayland (`wayland-0`).
public enum ServerSocketKind: Sendable, Equatable {
    case audio, display

    public init?(_ name: String) {
        let base = name.split(separator: "/").last.map(String.init) ?? name
        if base.hasPrefix("pipewire-") || name.hasSuffix("/pulse/native") {
            self = .audio
        } else if name.hasPrefix("/tmp/.X11-unix/X") || name.hasPrefix("@/tmp/.X11-unix/X") || base.hasPrefix("wayland-") {
            self = .display
        } else {
            return nil
        }
    }
}
