#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Scores one labelled set for bench/advice-quality: the set (a snapshot whose processes carry
`expected_types`), the work folder holding generate.json, explain.json and rerun.json, the set's
name and the batch size. Prints the per-process table, then `schedcat-bench:` lines, harm first.

Direction comes from a type's nice in catalogs/ (the CachyOS default types): < 0 boost, > 0
demote, else neutral. Harmful: a process that wants a demotion (a background or system job)
proposed as a boost, or one that wants a boost as audio, video, game or compositor
(LowLatency_RT, Player-*, Game) proposed as a demotion."""
import json
import sys

data, work, name, batch = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
snapshot = json.load(open(data))
explained = {e["pid"]: e for e in json.load(open(f"{work}/explain.json"))}
generate = json.load(open(f"{work}/generate.json"))
rerun = json.load(open(f"{work}/rerun.json"))
nice = {"Game": -5, "Player-Audio": -4, "Player-Video": -4, "Image-View": -4, "Doc-View": -4, "LowLatency_RT": -12,
        "BG_CPUIO": 16, "BG_CPU": 14, "Launcher": 16, "Heavy_CPU": 9, "Chat": -3, "Service": 10, "IN_DIFF": 0,
        "OOM_KILL": 0, "OOM_NO_KILL": 0, None: 0}
realtime_media = {"LowLatency_RT", "Player-Audio", "Player-Video", "Game"}


def direction(kind):
    value = nice.get(kind, 0)
    return "boost" if value < 0 else "demote" if value > 0 else "neutral"


right = same_direction = background_boosted = media_demoted = 0
rows = []
for process in snapshot["processes"]:
    got = explained.get(process["pid"], {}).get("type")
    want = process["expected_types"]
    right += got in want
    same_direction += direction(got) == direction(want[0])
    harm = ""
    if direction(want[0]) == "demote" and direction(got) == "boost":
        background_boosted += 1
        harm = "  HARM: background boosted"
    if want[0] in realtime_media and direction(got) == "demote":
        media_demoted += 1
        harm = "  HARM: media demoted"
    rows.append(f"  {process['comm']:<16} want {'/'.join(want):<22} got {got or 'unknown':<14} "
                f"{'ok' if got in want else 'MISS'}{harm}")
n = len(snapshot["processes"])
asked = max(generate["asked"], 1)
print(f"set {name} ({data}):")
print("\n".join(rows))
print(f"schedcat-bench: advice_set={name} advice_harmful={background_boosted + media_demoted} "
      f"advice_direction_pct={round(100 * same_direction / n, 1)} advice_type_pct={round(100 * right / n, 1)} "
      f"advice_s_per_process={round(generate['seconds'] / asked, 2)}")
for key, value in [
        ("processes", n), ("model", generate.get("model")), ("batch", batch),
        ("background_boosted", background_boosted), ("media_demoted", media_demoted),
        ("discarded", generate["discarded"]), ("asked", generate["asked"]),
        ("prompt_tokens_per_process", round(generate["prompt_tokens"] / asked, 1)),
        ("output_tokens_per_process", round(generate["completion_tokens"] / asked, 1)),
        ("rerun_model_calls", rerun["asked"])]:
    print(f"schedcat-bench: advice_{name.replace('-', '_')}_{key}={value}")
