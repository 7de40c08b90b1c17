#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes labelled-cachyos-heldout.json: a held-out sample of the CachyOS ananicy-rules catalog's
non-game rules (data/cachyos-ananicy-rules, human-written, GPL-3.0; its types are the labels), as a
schedcat.snapshot/v1 for bench/advice-quality. Each process is described only by what a rule says
(its name, run as /usr/bin/NAME): no cgroup, parent or uid that we would have to invent, so the
model is judged on knowing the program. Held out: the programs named in schedcat's prompt (the worked
examples and the type descriptions) and in labelled-desktop.json are left out, and nothing here may
be copied into the prompt. Deterministic: at most PER_TYPE rules per type, chosen by sha256 of the name."""
import hashlib, json, os, re, sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
RULES = os.environ.get("SCHEDCAT_ANANICY_RULES", os.path.join(ROOT, "data", "cachyos-ananicy-rules"))
PER_TYPE = 6
TYPES = {"Player-Audio", "Player-Video", "Image-View", "Doc-View", "LowLatency_RT", "BG_CPUIO", "BG_CPU", "Launcher",
         "Heavy_CPU", "Chat", "Service", "IN_DIFF"}

def prompt_names():
    names = set()
    for line in open(os.path.join(ROOT, "Sources", "Catalog", "default-types.yaml")):
        if "description:" in line:
            names |= set(re.findall(r"[a-z0-9][a-z0-9_.+-]*", line.split("description:", 1)[1].lower()))
    names |= {m.lower() for m in re.findall(r'make\("([^"]+)"', open(os.path.join(ROOT, "Sources", "Advice", "PromptExamples.swift")).read())}
    desktop = json.load(open(os.path.join(ROOT, "bench", "data", "labelled-desktop.json")))
    names |= {p["comm"].lower() for p in desktop["processes"]}
    names |= {os.path.basename(p["exe"]).lower() for p in desktop["processes"] if p.get("exe")}
    return names

def rules():
    for directory, _, files in sorted(os.walk(os.path.join(RULES, "00-default"))):
        if os.sep + "Games" in directory:
            continue
        for file in sorted(files):
            if not file.endswith(".rules"):
                continue
            for line in open(os.path.join(directory, file), encoding="utf-8", errors="replace"):
                line = line.strip()
                if not line.startswith("{"):
                    continue
                try:
                    rule = json.loads(line)
                except ValueError:
                    continue
                if isinstance(rule.get("name"), str) and rule.get("type") in TYPES:
                    yield rule["name"], rule["type"], os.path.relpath(os.path.join(directory, file), RULES)

seen, excluded, by_type = set(), prompt_names(), {}
for name, kind, source in rules():
    if name in seen or name.lower() in excluded or name[:15].lower() in excluded or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.+-]*", name):
        continue
    seen.add(name)
    by_type.setdefault(kind, []).append((hashlib.sha256(name.encode()).hexdigest(), name, source))

processes, pid = [], 3000
for kind in sorted(by_type):
    for _, name, source in sorted(by_type[kind])[:PER_TYPE]:
        exe = "/usr/bin/" + name
        processes.append({
            "pid": pid, "ppid": 1, "comm": name[:15], "exe": exe, "cmdline": [exe], "parent_comm": None, "uid": None,
            "threads": 1, "cpu_percent": None, "rss_kib": 0, "voluntary_switches_per_s": None,
            "involuntary_switches_per_s": None, "read_bytes_per_s": None, "write_bytes_per_s": None, "cgroup": None,
            "nice": 0, "policy": "other", "kernel_thread": False, "expected_types": [kind], "source_rule": source})
        pid += 1

snapshot = {"schema": "schedcat.snapshot/v1", "taken_at": "2026-11-29T00:00:00Z", "window_s": 3.0,
            "host": {"kernel": "6.1.0", "cpus": 2, "sched_ext": "absent"}, "processes": processes}
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "labelled-cachyos-heldout.json")
with open(out, "w") as f:
    json.dump(snapshot, f, indent=1)
    f.write("\n")
print(f"{out}: {len(processes)} processes from {sum(len(v) for v in by_type.values())} eligible rules", file=sys.stderr)
