#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes labelled-desktop.json: a schedcat.snapshot/v1 of 48 hand-described processes of a
typical Linux desktop/workstation, each with the types a careful person would accept
("expected_types", extra field ignored by the snapshot decoder). Written by the schedcat
authors for bench/advice-quality; the process data is invented but realistic."""
import json

U = "/user.slice/user-1000.slice/user@1000.service"
S = "/system.slice"
# name, exe, argv, parent, cgroup, uid, threads, cpu%, vol/s, invol/s, read B/s, write B/s, rss KiB, expected types
P = [
    ("pipewire", "/usr/bin/pipewire", [], "systemd", U + "/session.slice/pipewire.service", 1000, 3, 2.1, 900, 2, 0, 0, 18000, ["LowLatency_RT"]),
    ("pipewire-pulse", "/usr/bin/pipewire-pulse", [], "systemd", U + "/session.slice/pipewire-pulse.service", 1000, 3, 0.6, 300, 1, 0, 0, 14000, ["LowLatency_RT"]),
    ("wireplumber", "/usr/bin/wireplumber", [], "systemd", U + "/session.slice/wireplumber.service", 1000, 5, 0.3, 40, 0, 0, 0, 22000, ["LowLatency_RT"]),
    ("pulseaudio", "/usr/bin/pulseaudio", ["--daemonize=no", "--log-target=journal"], "systemd", U + "/app.slice/pulseaudio.service", 1000, 4, 1.5, 600, 3, 0, 0, 16000, ["LowLatency_RT"]),
    ("jackd", "/usr/bin/jackd", ["-d", "alsa", "-r", "48000", "-p", "128"], "qjackctl", U + "/app.slice/app-qjackctl.scope", 1000, 6, 4.0, 3000, 2, 0, 0, 30000, ["LowLatency_RT"]),
    ("Xorg", "/usr/lib/xorg/Xorg", [":0", "-seat", "seat0", "-auth", "/run/lightdm/root/:0", "vt7"], "lightdm", "/system.slice/lightdm.service", 0, 8, 6.5, 1200, 40, 0, 0, 120000, ["LowLatency_RT"]),
    ("Xwayland", "/usr/bin/Xwayland", [":0", "-rootless", "-terminate"], "gnome-shell", U + "/session.slice/org.gnome.Shell@wayland.service", 1000, 9, 1.2, 500, 10, 0, 0, 80000, ["LowLatency_RT"]),
    ("kwin_wayland", "/usr/bin/kwin_wayland", ["--wayland-fd", "7", "--socket", "wayland-0"], "ksmserver", U + "/session.slice/plasma-kwin_wayland.service", 1000, 14, 8.0, 1500, 60, 0, 0, 210000, ["LowLatency_RT"]),
    ("gnome-shell", "/usr/bin/gnome-shell", [], "systemd", U + "/session.slice/org.gnome.Shell@wayland.service", 1000, 22, 9.5, 1400, 80, 0, 4096, 380000, ["LowLatency_RT"]),
    ("sway", "/usr/bin/sway", [], "login", "/user.slice/user-1000.slice/session-2.scope", 1000, 3, 3.0, 700, 5, 0, 0, 60000, ["LowLatency_RT"]),
    ("mpv", "/usr/bin/mpv", ["--fs", "/home/ana/Videos/holiday.mkv"], "bash", U + "/app.slice/app-mpv.scope", 1000, 18, 22.0, 2400, 30, 4_000_000, 0, 190000, ["Player-Video"]),
    ("vlc", "/usr/bin/vlc", ["--started-from-file", "/home/ana/Videos/talk.webm"], "gnome-shell", U + "/app.slice/app-vlc.scope", 1000, 24, 18.0, 2000, 20, 2_500_000, 0, 240000, ["Player-Video"]),
    ("spotify", "/usr/share/spotify/spotify", ["--uri=spotify:playlist:focus"], "gnome-shell", U + "/app.slice/app-spotify.scope", 1000, 40, 4.0, 800, 10, 100_000, 50_000, 420000, ["Player-Audio"]),
    ("rhythmbox", "/usr/bin/rhythmbox", [], "gnome-shell", U + "/app.slice/app-rhythmbox.scope", 1000, 12, 2.5, 400, 4, 300_000, 0, 150000, ["Player-Audio"]),
    ("evince", "/usr/bin/evince", ["/home/ana/Documents/thesis.pdf"], "nautilus", U + "/app.slice/app-evince.scope", 1000, 5, 0.5, 20, 0, 0, 0, 90000, ["Doc-View"]),
    ("okular", "/usr/bin/okular", ["/home/ana/Documents/manual.pdf"], "plasmashell", U + "/app.slice/app-okular.scope", 1000, 6, 0.4, 15, 0, 0, 0, 110000, ["Doc-View"]),
    ("eog", "/usr/bin/eog", ["/home/ana/Pictures/IMG_2041.jpg"], "nautilus", U + "/app.slice/app-eog.scope", 1000, 6, 0.3, 10, 0, 0, 0, 70000, ["Image-View"]),
    ("feh", "/usr/bin/feh", ["--fullscreen", "/home/ana/Pictures/"], "bash", U + "/app.slice/app-feh.scope", 1000, 1, 0.2, 5, 0, 0, 0, 30000, ["Image-View"]),
    ("hl2_linux", "/home/ana/.local/share/Steam/steamapps/common/Half-Life 2/hl2_linux", ["-game", "hl2", "-steam"], "reaper", U + "/app.slice/app-steam.scope", 1000, 30, 95.0, 3000, 200, 200_000, 10_000, 1_200_000, ["Game"]),
    ("Cyberpunk2077.e", "/home/ana/.local/share/Steam/steamapps/common/Proton 9.0/files/bin/wine64-preloader", ["Z:\\home\\ana\\.local\\share\\Steam\\steamapps\\common\\Cyberpunk 2077\\bin\\x64\\Cyberpunk2077.exe"], "wineserver", U + "/app.slice/app-steam.scope", 1000, 80, 170.0, 5000, 400, 8_000_000, 20_000, 9_000_000, ["Game"]),
    ("dota2", "/home/ana/.local/share/Steam/steamapps/common/dota 2 beta/game/bin/linuxsteamrt64/dota2", ["+map_enable_background_maps", "0"], "reaper", U + "/app.slice/app-steam.scope", 1000, 45, 120.0, 4000, 300, 1_000_000, 0, 4_000_000, ["Game"]),
    ("steam", "/home/ana/.local/share/Steam/ubuntu12_32/steam", ["-silent"], "gnome-shell", U + "/app.slice/app-steam.scope", 1000, 70, 1.0, 200, 5, 0, 20_000, 600000, ["Launcher"]),
    ("lutris", "/usr/bin/python3", ["/usr/bin/python3", "/usr/bin/lutris"], "gnome-shell", U + "/app.slice/app-lutris.scope", 1000, 9, 0.5, 30, 1, 0, 0, 180000, ["Launcher"]),
    ("heroic", "/opt/Heroic/heroic", ["--no-sandbox"], "gnome-shell", U + "/app.slice/app-heroic.scope", 1000, 28, 0.8, 60, 2, 0, 10_000, 350000, ["Launcher"]),
    ("Discord", "/usr/share/discord/Discord", [], "gnome-shell", U + "/app.slice/app-discord.scope", 1000, 45, 3.0, 500, 10, 0, 20_000, 520000, ["Chat"]),
    ("slack", "/usr/lib/slack/slack", ["--enable-crashpad"], "gnome-shell", U + "/app.slice/app-slack.scope", 1000, 40, 2.0, 300, 8, 0, 10_000, 480000, ["Chat"]),
    ("telegram-deskto", "/usr/bin/telegram-desktop", [], "gnome-shell", U + "/app.slice/app-telegram.scope", 1000, 20, 0.7, 120, 2, 0, 0, 260000, ["Chat"]),
    ("signal-desktop", "/opt/Signal/signal-desktop", ["--no-sandbox"], "gnome-shell", U + "/app.slice/app-signal.scope", 1000, 30, 0.6, 100, 2, 0, 0, 300000, ["Chat"]),
    ("updatedb.plocat", "/usr/sbin/updatedb.plocate", [], "systemd", "/system.slice/plocate-updatedb.service", 0, 1, 35.0, 30, 20, 20_000_000, 1_000_000, 9000, ["BG_CPUIO"]),
    ("mandb", "/usr/bin/mandb", ["--quiet"], "systemd", "/system.slice/man-db.service", 6, 1, 40.0, 10, 30, 5_000_000, 500_000, 12000, ["BG_CPUIO"]),
    ("tracker-miner-f", "/usr/libexec/tracker-miner-fs-3", [], "systemd", U + "/session.slice/tracker-miner-fs-3.service", 1000, 6, 25.0, 300, 40, 12_000_000, 300_000, 90000, ["BG_CPUIO"]),
    ("baloo_file", "/usr/bin/baloo_file", [], "systemd", U + "/background.slice/plasma-baloorunner.service", 1000, 3, 30.0, 200, 30, 15_000_000, 2_000_000, 70000, ["BG_CPUIO"]),
    ("packagekitd", "/usr/libexec/packagekitd", [], "systemd", "/system.slice/packagekit.service", 0, 3, 12.0, 80, 10, 3_000_000, 2_000_000, 110000, ["BG_CPUIO", "Service"]),
    ("unattended-upgr", "/usr/bin/python3", ["/usr/bin/python3", "/usr/bin/unattended-upgrade"], "systemd", "/system.slice/apt-daily-upgrade.service", 0, 2, 20.0, 60, 20, 6_000_000, 4_000_000, 80000, ["BG_CPUIO"]),
    ("rsync", "/usr/bin/rsync", ["-a", "--delete", "/home/ana/", "/mnt/backup/ana/"], "cron", "/system.slice/cron.service", 0, 1, 15.0, 400, 5, 40_000_000, 40_000_000, 15000, ["BG_CPUIO", "BG_CPU"]),
    ("restic", "/usr/bin/restic", ["backup", "/home/ana", "--repo", "/mnt/backup/restic"], "systemd", "/system.slice/restic-backup.service", 0, 8, 60.0, 300, 60, 30_000_000, 8_000_000, 200000, ["BG_CPUIO", "BG_CPU"]),
    ("borg", "/usr/bin/borg", ["create", "::home-{now}", "/home"], "systemd", "/system.slice/borgbackup.service", 0, 1, 55.0, 100, 40, 25_000_000, 6_000_000, 150000, ["BG_CPUIO", "BG_CPU"]),
    ("dropbox", "/home/ana/.dropbox-dist/dropbox-lnx.x86_64-200.4.5612/dropbox", [], "systemd", U + "/app.slice/dropbox.service", 1000, 60, 3.0, 200, 5, 1_000_000, 3_000_000, 300000, ["BG_CPU", "BG_CPUIO"]),
    ("syncthing", "/usr/bin/syncthing", ["serve", "--no-browser"], "systemd", U + "/app.slice/syncthing.service", 1000, 14, 4.0, 300, 5, 2_000_000, 2_000_000, 90000, ["BG_CPU", "BG_CPUIO"]),
    ("make", "/usr/bin/make", ["-j8"], "bash", U + "/app.slice/app-gnome-terminal.scope", 1000, 1, 1.0, 50, 2, 0, 0, 5000, ["Heavy_CPU"]),
    ("cc1plus", "/usr/lib/gcc/x86_64-linux-gnu/12/cc1plus", ["-quiet", "-I", "include", "src/render.cpp", "-O2", "-o", "/tmp/ccA1.s"], "g++", U + "/app.slice/app-gnome-terminal.scope", 1000, 1, 99.0, 2, 15, 200_000, 100_000, 400000, ["Heavy_CPU"]),
    ("rustc", "/home/ana/.rustup/toolchains/stable-x86_64-unknown-linux-gnu/bin/rustc", ["--crate-name", "serde", "--edition=2021"], "cargo", U + "/app.slice/app-gnome-terminal.scope", 1000, 8, 180.0, 20, 40, 100_000, 500_000, 900000, ["Heavy_CPU"]),
    ("ffmpeg", "/usr/bin/ffmpeg", ["-i", "raw.mov", "-c:v", "libx264", "-crf", "20", "out.mp4"], "bash", U + "/app.slice/app-gnome-terminal.scope", 1000, 16, 350.0, 100, 200, 10_000_000, 3_000_000, 600000, ["Heavy_CPU"]),
    ("cron", "/usr/sbin/cron", ["-f"], "systemd", "/system.slice/cron.service", 0, 1, 0.0, 0.03, 0, 0, 0, 3000, ["Service"]),
    ("cupsd", "/usr/sbin/cupsd", ["-l"], "systemd", "/system.slice/cups.service", 0, 1, 0.0, 0.1, 0, 0, 0, 12000, ["Service"]),
    ("postgres", "/usr/lib/postgresql/15/bin/postgres", ["-D", "/var/lib/postgresql/15/main"], "systemd", "/system.slice/system-postgresql.slice/postgresql@15-main.service", 111, 1, 0.5, 10, 0, 10_000, 30_000, 60000, ["Service"]),
    ("dockerd", "/usr/bin/dockerd", ["-H", "fd://", "--containerd=/run/containerd/containerd.sock"], "systemd", "/system.slice/docker.service", 0, 20, 0.4, 15, 1, 0, 5_000, 90000, ["Service"]),
    ("nginx", "/usr/sbin/nginx", ["-g", "daemon on; master_process on;"], "systemd", "/system.slice/nginx.service", 0, 1, 0.1, 3, 0, 0, 1_000, 8000, ["Service"]),
]

processes = []
for i, (comm, exe, argv, parent, cgroup, uid, threads, cpu, vol, inv, rd, wr, rss, expected) in enumerate(P):
    argv0 = exe if not argv or argv[0] != exe else None
    cmdline = ([exe] + argv) if argv0 else argv
    processes.append({
        "pid": 2000 + i, "ppid": 1000 + i, "comm": comm[:15], "exe": exe, "cmdline": cmdline,
        "parent_comm": parent, "uid": uid, "threads": threads, "cpu_percent": cpu, "rss_kib": rss,
        "voluntary_switches_per_s": vol, "involuntary_switches_per_s": inv,
        "read_bytes_per_s": rd, "write_bytes_per_s": wr, "cgroup": cgroup, "nice": 0, "policy": "other",
        "kernel_thread": False, "exe_dev": 2049, "exe_ino": 100000 + i, "exe_uid": 0 if exe.startswith("/usr") else 1000,
        "exe_mode": 0o100755, "expected_types": expected,
    })
snapshot = {"schema": "schedcat.snapshot/v1", "taken_at": "2026-11-26T12:00:00Z", "window_s": 3.0,
            "host": {"kernel": "6.18.44", "cpus": 8, "sched_ext": "absent"}, "processes": processes}
with open("labelled-desktop.json", "w") as f:
    json.dump(snapshot, f, indent=1)
    f.write("\n")
print(f"labelled-desktop.json: {len(processes)} processes")
