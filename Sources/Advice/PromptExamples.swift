// SPDX-License-Identifier: Apache-2.0
/// Worked examples sent before every process, as earlier turns of the conversation: small models
/// follow demonstrated answers far better than instructions (measured: 5/16 -> 44/48 right with
/// Qwen2.5-Coder-1.5B, bench/advice-quality). The programs are not those of the benchmark's data.
/// The prefix they form is the same for every request, so the server caches it.
struct PromptExample {
    var process: ProcessFeatures
    var reason: String
    var type: String

    static func make(_ name: String, _ exe: String, _ cmdline: [String], parent: String, unit: String, cpu: Double,
                     _ reason: String, _ type: String) -> PromptExample {
        PromptExample(process: ProcessFeatures(pid: 0, comm: String(name.prefix(15)), exe: exe, cmdline: cmdline, parentComm: parent,
                                               cgroup: "/" + unit, cpuPercent: cpu),
                      reason: reason, type: type)
    }

    static let all: [PromptExample] = [
        make("weston", "/usr/bin/weston", ["/usr/bin/weston"], parent: "systemd", unit: "weston.service", cpu: 4, "Wayland compositor", "LowLatency_RT"),
        make("clementine", "/usr/bin/clementine", ["/usr/bin/clementine"], parent: "plasmashell", unit: "app-clementine.scope", cpu: 3,
             "music player", "Player-Audio"),
        make("bottles", "/usr/bin/python3", ["/usr/bin/python3", "/usr/bin/bottles"], parent: "gnome-shell", unit: "app-bottles.scope",
             cpu: 0.4, "game launcher", "Launcher"),
        make("duplicity", "/usr/bin/python3", ["/usr/bin/python3", "/usr/bin/duplicity", "/home", "file:///backup"], parent: "systemd",
             unit: "backup.service", cpu: 40, "backup tool", "BG_CPUIO"),
        make("ninja", "/usr/bin/ninja", ["ninja", "-C", "build"], parent: "bash", unit: "app-konsole.scope", cpu: 3, "build tool", "Heavy_CPU"),
        make("pipewire-media-session", "/usr/bin/pipewire-media-session", ["/usr/bin/pipewire-media-session"], parent: "systemd",
             unit: "pipewire-media-session.service", cpu: 0.3, "audio session manager", "LowLatency_RT"),
        make("sndiod", "/usr/bin/sndiod", ["/usr/bin/sndiod", "-d"], parent: "systemd", unit: "sndiod.service", cpu: 1, "audio server",
             "LowLatency_RT"),
        make("Xephyr", "/usr/bin/Xephyr", ["Xephyr", ":1", "-screen", "1280x800"], parent: "bash", unit: "session-2.scope", cpu: 5,
             "X display server", "LowLatency_RT"),
        make("recollindex", "/usr/bin/recollindex", ["recollindex", "-m"], parent: "systemd", unit: "app-recoll.scope", cpu: 30,
             "file indexer", "BG_CPUIO"),
        make("nextcloud", "/usr/bin/nextcloud", ["/usr/bin/nextcloud", "--background"], parent: "systemd", unit: "app-nextcloud.scope",
             cpu: 2, "file sync client", "BG_CPU"),
        make("lighttpd", "/usr/sbin/lighttpd", ["/usr/sbin/lighttpd", "-D", "-f", "/etc/lighttpd/lighttpd.conf"], parent: "systemd",
             unit: "lighttpd.service", cpu: 0.2, "web server", "Service"),
        make("sshd", "/usr/sbin/sshd", ["sshd: /usr/sbin/sshd -D"], parent: "systemd", unit: "ssh.service", cpu: 0, "SSH server daemon",
             "Service"),
    ]
}
