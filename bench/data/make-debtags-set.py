#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes labelled-debtags-programs.json: a schedcat.snapshot/v1 labelled set from Debian's package
metadata, which Debian's contributors wrote by hand (debtags: `Tag:` in the archive's Packages
index, read through `apt-cache dumpavail`). A program's expected types follow from its tags by
the CLASSES table below (for example `use::playing` + `works-with::video` -> Player-Video,
`admin::backup` -> BG_CPUIO/BG_CPU); a fixed-seed sample of at most PER_CLASS packages per class,
none of them a name that the prompt (its examples and the type descriptions) or another labelled set uses.
Each process is only a name (comm and /usr/bin/NAME, as with the CachyOS set): the tags never
reach the model. The archive changes, so the JSON is generated once and committed; rerun this to
make a new one. Never copy these processes into the prompt."""
import glob
import json
import os
import random
import re
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PER_CLASS = 8
SEED = 20261129

# class: (tags that must all be present, tags that must be absent, expected types)
CLASSES = {
    "audio player": ({"role::program", "sound::player", "works-with::audio"}, {"works-with::video", "interface::daemon"},
                     ["Player-Audio"]),
    "video player": ({"role::program", "use::playing", "works-with::video"}, {"interface::daemon"}, ["Player-Video"]),
    "image viewer": ({"role::program", "use::viewing", "works-with::image"}, {"use::editing"}, ["Image-View"]),
    "document viewer": ({"role::program", "use::viewing", "works-with::text"}, {"use::editing", "works-with::image"},
                        ["Doc-View"]),
    "game": ({"role::program", "use::gameplaying", "interface::x11"}, set(), ["Game"]),
    "chat client": ({"role::program", "use::chatting", "interface::x11"}, {"interface::daemon"}, ["Chat"]),
    "audio server": ({"role::program", "works-with::audio", "interface::daemon"}, {"network::server"},
                     ["LowLatency_RT", "Player-Audio"]),
    "backup": ({"role::program", "admin::backup"}, {"interface::x11"}, ["BG_CPUIO", "BG_CPU"]),
    "compiler": ({"role::program", "devel::compiler"}, set(), ["Heavy_CPU"]),
    "compressor": ({"role::program", "use::compressing"}, {"interface::x11"}, ["Heavy_CPU", "BG_CPUIO"]),
    "network daemon": ({"role::program", "interface::daemon", "network::server"}, {"works-with::audio"},
                       ["Service", "BG_CPUIO"]),
}


def packages():
    """(name, tags) of every package in the archive index that has debtags."""
    text = subprocess.run(["apt-cache", "dumpavail"], capture_output=True, text=True, check=True).stdout
    for stanza in text.split("\n\n"):
        fields, key = {}, None
        for line in stanza.splitlines():
            if line.startswith(" ") and key:
                fields[key] += " " + line.strip()
            elif ":" in line:
                key, value = line.split(":", 1)
                fields[key] = value.strip()
        if "Package" in fields and "Tag" in fields:
            yield fields["Package"], {tag.strip() for tag in fields["Tag"].split(",") if tag.strip()}


OUT = os.path.join(HERE, "labelled-debtags-programs.json")
examples = open(os.path.join(ROOT, "Sources", "Advice", "PromptExamples.swift")).read()
taken = set(re.findall(r'"([^"\s]+)"', examples))
for line in open(os.path.join(ROOT, "Sources", "Catalog", "default-types.yaml")):
    if "description:" in line:
        taken |= set(re.findall(r"[a-z0-9][a-z0-9_.+-]*", line.split("description:", 1)[1].lower()))
for other in glob.glob(os.path.join(HERE, "labelled-*.json")):
    if other != OUT:
        taken |= {p["comm"] for p in json.load(open(other))["processes"]}

members = {name: {} for name in CLASSES}
for package, tags in packages():
    # packages that are not a program of their own: libraries, data, plugins
    if package in taken or package.startswith("lib") or "plugin" in package or package.startswith("pidgin-") \
            or package.endswith(("-dev", "-data", "-doc", "-common", "-libraries", "-contrib")):
        continue
    matched = [name for name, (need, avoid, _) in CLASSES.items() if need <= tags and not (avoid & tags)]
    if len(matched) == 1:
        members[matched[0]][package] = sorted(tags)

rng = random.Random(SEED)
processes = []
for name, (_, _, expected) in CLASSES.items():
    chosen = sorted(rng.sample(sorted(members[name]), min(PER_CLASS, len(members[name]))))
    for package in chosen:
        processes.append({
            "pid": 5000 + len(processes), "ppid": 1, "comm": package[:15], "exe": "/usr/bin/" + package,
            "cmdline": ["/usr/bin/" + package], "parent_comm": None, "uid": 1000, "threads": 1, "cpu_percent": None,
            "rss_kib": 0, "voluntary_switches_per_s": None, "involuntary_switches_per_s": None,
            "read_bytes_per_s": None, "write_bytes_per_s": None, "cgroup": None, "nice": 0, "policy": "other",
            "kernel_thread": False, "expected_types": expected, "debtags_class": name,
            "debtags": members[name][package]})

snapshot = {"schema": "schedcat.snapshot/v1", "taken_at": "2026-11-29T00:00:00Z", "window_s": 1.0,
            "host": {"kernel": "6.18.44", "cpus": 8, "sched_ext": "absent"}, "processes": processes}
with open(OUT, "w") as out:
    json.dump(snapshot, out, indent=1)
    out.write("\n")
print(f"{OUT}: {len(processes)} processes, " +
      ", ".join(f"{name} {min(PER_CLASS, len(members[name]))}/{len(members[name])}" for name in CLASSES))
