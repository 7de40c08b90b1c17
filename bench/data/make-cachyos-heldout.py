#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes cachyos-heldout.json: a schedcat.snapshot/v1 labelled set that schedcat's authors did
not write. Its labels are the CachyOS ananicy rules' own types (human-written, GPL-3.0 data in
data/cachyos-ananicy-rules), a fixed-seed sample of at most PER_TYPE plain `{name, type}` rules of
each type outside the Games folder, none of them a name the prompt's examples or our own set
(labelled-desktop.json) use. A rule says only a name, so each process is only that: comm, an exe
in /usr/bin, one thread, no cgroup, no CPU or IO figures (null: unknown) -- the model judges by name, as it
does for a program it meets for the first time. Never copy these processes into the prompt."""
import glob
import json
import os
import random
import re

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
RULES = os.environ.get("SCHEDCAT_ANANICY_RULES", os.path.join(ROOT, "data", "cachyos-ananicy-rules"))
PER_TYPE = {"BG_CPUIO": 12, "Service": 12, "Heavy_CPU": 10, "Doc-View": 12, "LowLatency_RT": 12, "Chat": 10,
            "Image-View": 8, "Player-Audio": 8, "Player-Video": 8}
SEED = 20261129

examples = open(os.path.join(ROOT, "Sources", "Advice", "PromptExamples.swift")).read()
ours = {p["comm"] for p in json.load(open(os.path.join(HERE, "labelled-desktop.json")))["processes"]}
taken = set(re.findall(r'"([^"\s]+)"', examples)) | ours

by_type = {}
for path in sorted(glob.glob(os.path.join(RULES, "**", "*.rules"), recursive=True)):
    if "/Games/" in path:
        continue
    folder = os.path.relpath(path, RULES).split(os.sep)[1]
    for line in open(path, errors="replace"):
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            rule = json.loads(line)
        except ValueError:
            continue
        name = rule.get("name", "")
        if sorted(rule) != ["name", "type"] or rule["type"] not in PER_TYPE or name in taken or "/" in name:
            continue
        by_type.setdefault(rule["type"], {})[name] = folder

rng = random.Random(SEED)
processes = []
for kind in PER_TYPE:
    names = sorted(by_type.get(kind, {}))
    for name in sorted(rng.sample(names, min(PER_TYPE[kind], len(names)))):
        pid = 3000 + len(processes)
        processes.append({
            "pid": pid, "ppid": 1, "comm": name[:15], "exe": "/usr/bin/" + name, "cmdline": ["/usr/bin/" + name],
            "parent_comm": None, "uid": 1000, "threads": 1, "cpu_percent": None, "rss_kib": 0,
            "voluntary_switches_per_s": None, "involuntary_switches_per_s": None,
            "read_bytes_per_s": None, "write_bytes_per_s": None, "cgroup": None, "nice": 0, "policy": "other",
            "kernel_thread": False, "expected_types": [kind], "cachyos_folder": by_type[kind][name]})

snapshot = {"schema": "schedcat.snapshot/v1", "taken_at": "2026-11-29T00:00:00Z", "window_s": 1.0,
            "host": {"kernel": "6.18.44", "cpus": 8, "sched_ext": "absent"},
            "processes": processes}
with open(os.path.join(HERE, "cachyos-heldout.json"), "w") as out:
    json.dump(snapshot, out, indent=1)
    out.write("\n")
print(f"cachyos-heldout.json: {len(processes)} processes from {RULES}")
