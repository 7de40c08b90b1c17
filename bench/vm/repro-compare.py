#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Compare two bench/run results files (`schedcat-bench: NAME=VALUE` lines) of the same VM
benchmark: one run on the host as it was, one with a host CPU hog and disk writer.

usage: repro-compare.py QUIET_RESULTS LOADED_RESULTS

For every figure summarize.py printed in both (its median NAME and spread NAME_min/NAME_max),
prints `schedcat-bench: repro.NAME=A (min-max) | B (min-max) dev=D%` with D = |A-B| / mean(A,B),
then `repro_max_dev_pct` over every ratio (the acceptance figure: NAME contains "ratio"),
`repro_worst_ratio` (which one), `repro_ratios_within_10pct` (how many of the ratios agree within
10 %), `repro_ratio_ranges_overlap` (how many ratios' min-max ranges over the repetitions of the
two runs overlap: a deviation larger than 10 % with overlapping ranges is the figure's own
repetition-to-repetition spread, not the host) and `repro_max_dev_pct_absolute` over the absolute
figures (seconds, microseconds, counts), for the record. Pooled ratios (NAME contains "_pooled_":
a ratio of totals over all repetitions, no spread) count as ratios.
"""
import re
import sys

SKIP = {"reps", "guest_cpus", "schbench_present", "seed_cached_llm_rps_ratio", "seed_blocking_llm_rps_ratio"}


def load(path):
    out = {}
    for line in open(path, errors="replace"):
        m = re.match(r"schedcat-bench: ([A-Za-z0-9_.]+)=(\S+)$", line.strip())
        if m:
            try:
                out[m[1]] = float(m[2])
            except ValueError:
                pass
    return out


def dev_pct(a, b):
    mean = (a + b) / 2
    return 0.0 if a == b else (abs(a - b) / abs(mean) * 100 if mean else float("inf"))


quiet, loaded = load(sys.argv[1]), load(sys.argv[2])
worst, worst_name, worst_abs = 0.0, "-", 0.0
ratios = within = overlap = 0
for name in sorted(quiet):
    if name.endswith(("_min", "_max")) or name in SKIP or name not in loaded or name.startswith(("host_", "guest_")):
        continue
    if f"{name}_min" not in quiet and "_pooled_" not in name:	# not a summarised figure (facts such as vcpus)
        continue
    a, b = quiet[name], loaded[name]
    d = dev_pct(a, b)
    spread = lambda r: f"({r.get(name + '_min', float('nan')):g}-{r.get(name + '_max', float('nan')):g})"
    print(f"schedcat-bench: repro.{name}={a:g} {spread(quiet)} | {b:g} {spread(loaded)} dev={d:.1f}%")
    if "ratio" in name:
        ratios += 1
        within += d <= 10
        lo_a, hi_a = quiet.get(name + "_min", a), quiet.get(name + "_max", a)
        lo_b, hi_b = loaded.get(name + "_min", b), loaded.get(name + "_max", b)
        overlap += lo_a <= hi_b and lo_b <= hi_a
        if d > worst:
            worst, worst_name = d, name
    else:
        worst_abs = max(worst_abs, d)
print(f"schedcat-bench: repro_max_dev_pct={worst:.1f}")
print(f"schedcat-bench: repro_worst_ratio={worst_name}")
print(f"schedcat-bench: repro_ratios_within_10pct={within}/{ratios}")
print(f"schedcat-bench: repro_ratio_ranges_overlap={overlap}/{ratios}")
print(f"schedcat-bench: repro_max_dev_pct_absolute={worst_abs:.1f}")
