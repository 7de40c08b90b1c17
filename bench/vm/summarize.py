#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Summarise a bench/vm/guest-bench.sh run: medians and spread of every measurement, ratios to
EEVDF, as `schedcat-bench: NAME=VALUE` lines on stdout and markdown tables in REPORT.

usage: summarize.py VM_LOG REPORT.md

Ratios are paired: each repetition's value under a policy divided by the same repetition's EEVDF
value (runs next to each other in time), then the median and min-max of those per-repetition
ratios. Throughput ratios are EEVDF time / policy time (hackbench) or policy RPS / EEVDF RPS.
"""
import re
import statistics
import sys
from collections import defaultdict

NICE_WEIGHT = {0: 1024, 3: 526, 6: 272}
SHARE_NICE = {"a": 0, "b": 3, "c": 6}
SEED = [("seed, cached LLM on the dispatch path", 41 / 102, "41 / 102 RPS"),
        ("seed, blocking LLM call", 6 / 102, "6 / 102 RPS")]

log, report_path = sys.argv[1], sys.argv[2]
values = defaultdict(dict)   # (part, arm, metric) -> {rep: float}
facts = {}
for line in open(log, errors="replace"):
    m = re.search(r"schedcat-vm: ([a-z_]+)\.([a-z0-9_]+)\.([a-z0-9_]+)\.(\d+)=(\S+)", line)
    if m:
        try:
            values[(m[1], m[2], m[3])][int(m[4])] = float(m[5])
        except ValueError:
            pass
        continue
    m = re.search(r"schedcat-vm: ([a-z_-]+)=(\S*)", line)
    if m:
        facts[m[1]] = m[2]


def emit(name, value):
    print(f"schedcat-bench: {name}={value}")


def series(part, arm, metric):
    return values.get((part, arm, metric), {})


def stats(xs):
    xs = sorted(xs)
    return (statistics.median(xs), xs[0], xs[-1]) if xs else None


def paired(part, arm, metric, base="eevdf", invert=False):
    """Per-repetition ratios arm/base (base/arm when invert)."""
    a, b = series(part, arm, metric), series(part, base, metric)
    out = []
    for rep in sorted(set(a) & set(b)):
        num, den = (b[rep], a[rep]) if invert else (a[rep], b[rep])
        if den > 0:
            out.append(num / den)
    return out


def fmt(x, digits=0):
    if x is None:
        return "-"
    return f"{x:.{digits}f}"


def cell(part, arm, metric, digits=0):
    s = stats(list(series(part, arm, metric).values()))
    return "-" if s is None else f"{fmt(s[0], digits)} ({fmt(s[1], digits)}-{fmt(s[2], digits)})"


def ratio_cell(xs, digits=2):
    s = stats(xs)
    return "-" if s is None else f"{s[0]:.{digits}f}x ({s[1]:.{digits}f}-{s[2]:.{digits}f})"


def emit_stats(name, xs, digits=3):
    s = stats(xs)
    if s is None:
        return
    emit(name, round(s[0], digits))
    emit(name + "_min", round(s[1], digits))
    emit(name + "_max", round(s[2], digits))


lines = []
reps = facts.get("reps", "?")
lines.append(f"Guest: kernel {facts.get('guest_kernel', '?')}, {facts.get('guest_cpus', '?')} vCPUs; "
             f"{reps} repetitions, policies alternated in a rotated order within one boot. "
             "Cells: median (min-max) over the repetitions; ratios are per-repetition ratios to EEVDF.")
lines.append("")

# ---------------------------------------------------------------- 1. dispatch cost
arms = [("eevdf", "EEVDF"), ("scx_simple", "scx_simple (the kernel's minimal sched_ext example)"),
        ("scx_empty", "scx_catalog, empty catalog"), ("scx_full", "scx_catalog, CachyOS catalog")]
arms = [a for a in arms if series("dispatch", a[0], "hackbench_s") or a[0] != "scx_simple"]
have_schbench = bool(series("dispatch", "eevdf", "schbench_rps"))
lines.append("### 1. Dispatch cost")
lines.append("")
head = "| policy | hackbench s | throughput vs EEVDF | cyclictest p50 us | p99 us | p99 vs EEVDF |"
sep = "|---|---|---|---|---|---|"
if have_schbench:
    head += " schbench RPS | RPS vs EEVDF | schbench wakeup p50 us | p99 us | p99 vs EEVDF |"
    sep += "---|---|---|---|---|"
lines += [head, sep]
for arm, label in arms:
    row = f"| {label} | {cell('dispatch', arm, 'hackbench_s', 3)} | "
    row += ("1" if arm == "eevdf" else ratio_cell(paired("dispatch", arm, "hackbench_s", invert=True))) + " | "
    row += f"{cell('dispatch', arm, 'cyclic_p50_us')} | {cell('dispatch', arm, 'cyclic_p99_us')} | "
    row += ("1" if arm == "eevdf" else ratio_cell(paired("dispatch", arm, "cyclic_p99_us"))) + " |"
    if have_schbench:
        row += f" {cell('dispatch', arm, 'schbench_rps', 1)} | "
        row += ("1" if arm == "eevdf" else ratio_cell(paired("dispatch", arm, "schbench_rps"))) + " | "
        row += f"{cell('dispatch', arm, 'schbench_wakeup_p50_us')} | {cell('dispatch', arm, 'schbench_wakeup_p99_us')} | "
        row += ("1" if arm == "eevdf" else ratio_cell(paired("dispatch", arm, "schbench_wakeup_p99_us"))) + " |"
    lines.append(row)
for label, ratio, raw in SEED:
    row = f"| {label} (published, not rerun) | - | {ratio:.2f}x ({raw}) | - | - | - |"
    if have_schbench:
        row += " - | - | - | - | - |"
    lines.append(row)
lines.append("")

for suffix, arm in (("", "scx_full"), ("_empty", "scx_empty")):
    emit_stats(f"dispatch_throughput_ratio{suffix}", paired("dispatch", arm, "hackbench_s", invert=True))
    emit_stats(f"dispatch_p50_ratio{suffix}", paired("dispatch", arm, "cyclic_p50_us"))
    emit_stats(f"dispatch_p99_ratio{suffix}", paired("dispatch", arm, "cyclic_p99_us"))
    if have_schbench:
        emit_stats(f"dispatch_schbench_rps_ratio{suffix}", paired("dispatch", arm, "schbench_rps"))
        emit_stats(f"dispatch_schbench_p50_ratio{suffix}", paired("dispatch", arm, "schbench_wakeup_p50_us"))
        emit_stats(f"dispatch_schbench_p99_ratio{suffix}", paired("dispatch", arm, "schbench_wakeup_p99_us"))
if series("dispatch", "scx_simple", "hackbench_s"):
    # the floor of any sched_ext scheduler here: scx_catalog against the kernel's minimal example
    for suffix, arm in (("", "scx_full"), ("_empty", "scx_empty")):
        emit_stats(f"p99_ratio_vs_scx_simple{suffix}", paired("dispatch", arm, "cyclic_p99_us", base="scx_simple"))
        emit_stats(f"throughput_ratio_vs_scx_simple{suffix}", paired("dispatch", arm, "hackbench_s", base="scx_simple", invert=True))
    emit_stats("scx_simple_throughput_ratio_vs_eevdf", paired("dispatch", "scx_simple", "hackbench_s", invert=True))
    emit_stats("scx_simple_p99_ratio_vs_eevdf", paired("dispatch", "scx_simple", "cyclic_p99_us"))
    lines.append("scx_catalog against scx_simple, per repetition: cyclictest p99 "
                 f"{ratio_cell(paired('dispatch', 'scx_full', 'cyclic_p99_us', base='scx_simple'))} (CachyOS catalog), "
                 f"{ratio_cell(paired('dispatch', 'scx_empty', 'cyclic_p99_us', base='scx_simple'))} (empty); "
                 f"hackbench throughput {ratio_cell(paired('dispatch', 'scx_full', 'hackbench_s', base='scx_simple', invert=True))} (CachyOS catalog), "
                 f"{ratio_cell(paired('dispatch', 'scx_empty', 'hackbench_s', base='scx_simple', invert=True))} (empty).")
    lines.append("")
for arm, _ in arms:
    emit_stats(f"dispatch_hackbench_s_{arm}", list(series("dispatch", arm, "hackbench_s").values()))
    emit_stats(f"dispatch_cyclictest_p99_us_{arm}", list(series("dispatch", arm, "cyclic_p99_us").values()), 0)
    if have_schbench:
        emit_stats(f"dispatch_schbench_rps_{arm}", list(series("dispatch", arm, "schbench_rps").values()), 1)
emit("seed_cached_llm_rps_ratio", round(41 / 102, 2))
emit("seed_blocking_llm_rps_ratio", round(6 / 102, 2))
emit("schbench_present", facts.get("schbench_present", "0"))

# ---------------------------------------------------------------- 2. the probe under load
def probe_section(title, arms, nice_arm, scx_arm, prefix, own_arms):
    """One table of wakeprobe runs (ratios to EEVDF and of scx_catalog to plain nice) and its lines."""
    lines.append(title)
    lines.append("")
    lines.append("| policy | wakeup p50 us | p99 us | p99.9 us | max us | p99 vs EEVDF | p99 vs plain nice | missed deadlines | periods |")
    lines.append("|---|---|---|---|---|---|---|---|---|")
    for arm, label in arms:
        ratio = "1" if arm == "eevdf" else ratio_cell(paired("boost", arm, "p99"))
        vs_nice = ratio_cell(paired("boost", arm, "p99", base=nice_arm)) if arm == scx_arm else "-"
        lines.append(f"| {label} | {cell('boost', arm, 'p50')} | {cell('boost', arm, 'p99')} | {cell('boost', arm, 'p999')} | "
                     f"{cell('boost', arm, 'max')} | {ratio} | {vs_nice} | {cell('boost', arm, 'missed')} | {cell('boost', arm, 'periods')} |")
    lines.append("")
    emit_stats(f"boosted_{prefix}p99_ratio_vs_eevdf", paired("boost", scx_arm, "p99"))
    emit_stats(f"boosted_{prefix}p99_ratio_vs_nice", paired("boost", scx_arm, "p99", base=nice_arm))
    emit_stats(f"nice_{prefix}p99_ratio_vs_eevdf", paired("boost", nice_arm, "p99"))
    emit_stats(f"boosted_{prefix}p999_ratio_vs_nice", paired("boost", scx_arm, "p999", base=nice_arm))
    emit_stats(f"boosted_{prefix}missed_ratio_vs_nice", paired("boost", scx_arm, "missed", base=nice_arm))
    for arm in own_arms:
        emit_stats(f"boost_p99_us_{arm}", list(series("boost", arm, "p99").values()), 0)
        emit_stats(f"boost_missed_{arm}", list(series("boost", arm, "missed").values()), 0)


probe_section("### 2. A LowLatency_RT probe against BG_CPUIO hogs on every vCPU",
              [("floor", "EEVDF, probe alone (no hogs): the floor"), ("eevdf", "EEVDF, all nice 0"),
               ("nice", "EEVDF + `schedcat apply` (nice -12 / nice 16 + SCHED_IDLE)"), ("scx", "scx_catalog (CachyOS catalog)")],
              "nice", "scx", "", ("floor", "eevdf", "nice", "scx"))
if series("boost", "scx_heavy", "p99"):
    probe_section("### 2b. The same probe against Heavy_CPU hogs (nice 9, SCHED_OTHER: a build the user started)",
                  [("eevdf", "EEVDF, all nice 0 (the run above)"),
                   ("nice_heavy", "EEVDF + `schedcat apply` (nice -12 / nice 9)"), ("scx_heavy", "scx_catalog (CachyOS catalog)")],
                  "nice_heavy", "scx_heavy", "heavy_", ("nice_heavy", "scx_heavy"))

# ---------------------------------------------------------------- 3. shares
total = sum(NICE_WEIGHT.values())
ideal = {k: NICE_WEIGHT[n] / total for k, n in SHARE_NICE.items()}
lines.append("### 3. CPU shares of three classes on one CPU (nice 0 / 3 / 6: weights 1024 / 526 / 272)")
lines.append("")
lines.append("| policy | share nice 0 | share nice 3 | share nice 6 | worst error vs ideal |")
lines.append("|---|---|---|---|---|")
lines.append(f"| ideal | {ideal['a']:.4f} | {ideal['b']:.4f} | {ideal['c']:.4f} | 0 |")
for arm, label in (("nice", "EEVDF + `schedcat apply`"), ("scx", "scx_catalog")):
    errors = []
    for rep in sorted(series("shares", arm, "share_a")):
        errors.append(max(abs(series("shares", arm, f"share_{k}").get(rep, 0) / ideal[k] - 1) * 100 for k in "abc"))
    s = stats(errors)
    err = "-" if s is None else f"{s[0]:.1f}% ({s[1]:.1f}-{s[2]:.1f})"
    lines.append(f"| {label} | {cell('shares', arm, 'share_a', 4)} | {cell('shares', arm, 'share_b', 4)} | "
                 f"{cell('shares', arm, 'share_c', 4)} | {err} |")
    name = "share_ratio_error_pct" + ("" if arm == "scx" else "_nice")
    emit_stats(name, errors, 2)
lines.append("")

# ---------------------------------------------------------------- 4. frame pacing against a build
if series("frame", "eevdf", "missed"):
    lines.append("### 4. A frame-paced game (Game) against a parallel build (2 CPU hogs per vCPU)")
    lines.append("")
    lines.append("| policy | build | missed frames | frames | frame time p50 us | p99 us | max us | build's share of all CPUs | missed vs plain nice | build throughput vs plain nice |")
    lines.append("|---|---|---|---|---|---|---|---|---|---|")
    for arm, label, build, nice_arm in (
            ("eevdf", "EEVDF, all nice 0", "any", None),
            ("simple", "scx_simple", "any", None),
            ("nice_heavy", "EEVDF + `schedcat apply` (game nice -5)", "cc1plus: Heavy_CPU, nice 9", None),
            ("scx_heavy", "scx_catalog (game latency_nice -10)", "cc1plus: Heavy_CPU, nice 9", "nice_heavy"),
            ("nice_n0", "EEVDF + `schedcat apply` (game nice -5)", "unclassified, nice 0", None),
            ("scx_n0", "scx_catalog (game latency_nice -10)", "unclassified, nice 0", "nice_n0")):
        if not series("frame", arm, "missed"):
            continue
        vs_missed = ratio_cell(paired("frame", arm, "missed", base=nice_arm)) if nice_arm else "-"
        vs_build = ratio_cell(paired("frame", arm, "build_cpu", base=nice_arm)) if nice_arm else "-"
        lines.append(f"| {label} | {build} | {cell('frame', arm, 'missed')} | {cell('frame', arm, 'frames')} | "
                     f"{cell('frame', arm, 'p50')} | {cell('frame', arm, 'p99')} | {cell('frame', arm, 'max')} | "
                     f"{cell('frame', arm, 'build_cpu', 3)} | {vs_missed} | {vs_build} |")
        emit_stats(f"frame_missed_{arm}", list(series("frame", arm, "missed").values()), 0)
        emit_stats(f"frame_p99_us_{arm}", list(series("frame", arm, "p99").values()), 0)
        emit_stats(f"frame_build_cpu_{arm}", list(series("frame", arm, "build_cpu").values()), 3)
    lines.append("")
    for variant, scx_arm, nice_arm in (("heavy", "scx_heavy", "nice_heavy"), ("nice0", "scx_n0", "nice_n0")):
        # missed-frame ratios are undefined when plain nice missed none: then the counts say it
        emit_stats(f"frame_missed_ratio_vs_nice_{variant}", paired("frame", scx_arm, "missed", base=nice_arm))
        emit_stats(f"frame_p99_ratio_vs_nice_{variant}", paired("frame", scx_arm, "p99", base=nice_arm))
        emit_stats(f"frame_build_throughput_ratio_vs_nice_{variant}", paired("frame", scx_arm, "build_cpu", base=nice_arm))
        emit_stats(f"frame_p99_ratio_vs_scx_simple_{variant}", paired("frame", scx_arm, "p99", base="simple"))

# ---------------------------------------------------------------- pooled frame figures, scx variants
def pooled(part, arm, metric, base):
    """sum(arm) / sum(base) over the repetitions both ran: a ratio of totals, which a repetition
    with few misses under the base cannot blow up as it does a per-repetition ratio."""
    a, b = series(part, arm, metric), series(part, base, metric)
    reps = sorted(set(a) & set(b))
    den = sum(b[r] for r in reps)
    return None if not reps or den <= 0 else sum(a[r] for r in reps) / den


def emit_pooled(name, value):
    if value is not None:
        emit(name, round(value, 3))


variants = sorted({arm[3:-6] for (part, arm, metric) in values
                   if part == "frame" and re.fullmatch(r"scx[a-z0-9]+_heavy", arm)} |
                  {arm[3:] for (part, arm, metric) in values if part == "boost" and re.fullmatch(r"scx[a-z0-9]+", arm)})
for v in [""] + variants:
    scx = "scx" + v
    suffix = f"_{v}" if v else ""
    for build, nice_arm in (("heavy", "nice_heavy"), ("nice0", "nice_n0")):
        arm = f"{scx}_{'heavy' if build == 'heavy' else 'n0'}"
        emit_pooled(f"frame_missed_pooled_ratio_vs_nice_{build}{suffix}", pooled("frame", arm, "missed", nice_arm))
        if v:
            emit_stats(f"frame_missed_ratio_vs_nice_{build}{suffix}", paired("frame", arm, "missed", base=nice_arm))
            emit_stats(f"frame_p99_ratio_vs_nice_{build}{suffix}", paired("frame", arm, "p99", base=nice_arm))
            emit_stats(f"frame_build_throughput_ratio_vs_nice_{build}{suffix}", paired("frame", arm, "build_cpu", base=nice_arm))
            emit_stats(f"frame_missed_{arm}", list(series("frame", arm, "missed").values()), 0)
            emit_stats(f"frame_p99_us_{arm}", list(series("frame", arm, "p99").values()), 0)
            emit_stats(f"frame_build_cpu_{arm}", list(series("frame", arm, "build_cpu").values()), 3)
    if v:
        for prefix, arm, nice_arm in (("", scx, "nice"), ("heavy_", f"{scx}_heavy", "nice_heavy")):
            emit_stats(f"boosted_{prefix}p99_ratio_vs_nice{suffix}", paired("boost", arm, "p99", base=nice_arm))
            emit_stats(f"boosted_{prefix}p999_ratio_vs_nice{suffix}", paired("boost", arm, "p999", base=nice_arm))
            emit_stats(f"boost_p99_us_{arm}", list(series("boost", arm, "p99").values()), 0)
        emit_stats(f"dispatch_throughput_ratio{suffix}", paired("dispatch", f"{scx}_full", "hackbench_s", invert=True))
        emit_stats(f"dispatch_p99_ratio{suffix}", paired("dispatch", f"{scx}_full", "cyclic_p99_us"))
        emit_stats(f"throughput_ratio_vs_scx_simple{suffix}", paired("dispatch", f"{scx}_full", "hackbench_s", base="scx_simple", invert=True))
        emit_stats(f"p99_ratio_vs_scx_simple{suffix}", paired("dispatch", f"{scx}_full", "cyclic_p99_us", base="scx_simple"))
        emit_stats(f"share_ratio_error_pct{suffix}", [
            max(abs(series("shares", scx, f"share_{k}").get(rep, 0) / ideal[k] - 1) * 100 for k in "abc")
            for rep in sorted(series("shares", scx, "share_a"))], 2)

# ---------------------------------------------------------------- load of the CachyOS catalog in the guest
lines.append("### scx_catalog load of the bench catalog in the guest (TCG: not a hardware speed)")
lines.append("")
lines.append("| rules | compile ms | map fill ms | load ms (fill + tgid scan + attach) |")
lines.append("|---|---|---|---|")
lines.append(f"| {cell('load', 'scx', 'rules')} | {cell('load', 'scx', 'compile_ms')} | {cell('load', 'scx', 'fill_ms', 1)} | "
             f"{cell('load', 'scx', 'load_ms', 1)} |")
for metric in ("rules", "compile_ms", "fill_ms", "load_ms"):
    emit_stats(f"guest_{metric}", list(series("load", "scx", metric).values()), 1)
emit("guest_kernel", facts.get("guest_kernel", "?"))
emit("guest_cpus", facts.get("guest_cpus", "?"))
emit("reps", reps)
emit("vm_result", facts.get("vm-result", "fail"))

with open(report_path, "w") as out:
    out.write("\n".join(lines) + "\n")
