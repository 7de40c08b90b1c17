#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Adds `package` ({name, summary}) to the processes of the labelled sets, as `schedcat profile` records
it on a Debian 12 machine that has the program installed: the Debian package that ships the process's
exe (the archive's Contents index as apt-file downloads it: run `apt-get install apt-file && apt-file
update` first) and the first line of that package's Description, which its maintainer wrote; the exe becomes the path
Debian installs it at. A name Debian
does not ship (many CachyOS rules name Arch or AUR programs) gets no package, as on a real machine.
labelled-debtags-programs.json names packages, not files: each process gets the package it was drawn
from. Interpreters get none (schedcat never describes a script by its interpreter's package).
Deterministic for one archive state; the JSON is committed. Usage: add-package-summaries.py SET.json..."""
import json, os, re, subprocess, sys

BIN_DIRS = ("usr/bin/", "usr/sbin/", "usr/games/", "bin/", "sbin/", "usr/libexec/")
INTERPRETER = re.compile(r"^(python|perl|ruby|node|nodejs|bash|sh|dash|zsh|lua|php|java|wine)")

def summary(package):
    out = subprocess.run(["apt-cache", "show", "--no-all-versions", package], capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.startswith("Description: ") or line.startswith("Description-en: "):
            return line.split(": ", 1)[1]
    return None

def contents():
    """Debian 12's own Contents indexes (main, amd64 and all) as apt-file downloaded them."""
    lists = "/var/lib/apt/lists/"
    names = [n for n in sorted(os.listdir(lists)) if re.search(r"_dists_bookworm_main_Contents-(amd64|all)\.lz4$", n)]
    if not names:
        sys.exit("no Contents index: apt-get install apt-file && apt-file update")
    for n in names:
        yield from subprocess.run(["lz4cat", lists + n], capture_output=True, text=True, check=True).stdout.splitlines()

def owners(wanted):
    """basename -> (path, package) for programs in bin/libexec directories, the first in BIN_DIRS order."""
    found = {}
    for line in contents():
        path, _, packages = line.rpartition(" ")
        path = path.strip()
        base = os.path.basename(path)
        if base in wanted and path.startswith(BIN_DIRS) and path.count("/") <= 3:
            rank = next(i for i, d in enumerate(BIN_DIRS) if path.startswith(d))
            if base not in found or rank < found[base][2]:
                found[base] = ("/" + path, packages.split(",")[0].split("/")[-1], rank)
    return {base: (path, package) for base, (path, package, _) in found.items()}

for name in sys.argv[1:]:
    snapshot = json.load(open(name))
    processes = snapshot["processes"]
    debtags = "debtags" in os.path.basename(name)
    located = {} if debtags else owners({os.path.basename(p["exe"]) for p in processes if p.get("exe")})
    added = 0
    for p in processes:
        p.pop("package", None)
        base = os.path.basename(p.get("exe") or "")
        if not base or INTERPRETER.match(base):
            continue
        path, package = (p["exe"], base) if debtags else located.get(base, (None, None))
        text = summary(package) if package else None
        if text:
            # where Debian installs it (/usr/libexec/gsd-sound, not /usr/bin/gsd-sound)
            if p.get("cmdline") and p["cmdline"][0] == p["exe"]:
                p["cmdline"][0] = path
            p["exe"] = path
            p["package"] = {"name": package, "summary": text}
            added += 1
    with open(name, "w") as out:
        json.dump(snapshot, out, indent=1)
        out.write("\n")
    print(f"{name}: {added} of {len(processes)} processes have a Debian package")
