#!/usr/bin/env python3
"""Live latency per slice, from a results folder after run-query: run-query writes each slice a
micro-batch read, with its latency (the batch's end minus the slice's due instant), as JSON lines in
progress/<query>/latency/ (docs/run-query.md). This prints p50/p99/max per query, over all slices
and over those due after the query's first batch ended; with --by-minute, also per minute of the
run (for soak runs).

Usage: scripts/batch-latency.py RESULTS [--by-minute]
"""
import glob, json, os, sys
from datetime import datetime

root = sys.argv[1]
by_minute = '--by-minute' in sys.argv[2:]


def instant(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def pct(xs, p):
    return xs[min(len(xs) - 1, max(0, int(-(-p * len(xs) // 100)) - 1))]


queries = {}  # query -> {(batch, topic, slice): line}; a re-run batch's slices once
for f in sorted(glob.glob(os.path.join(root, "progress", "*", "latency", "*.jsonl"))):
    with open(f) as lines:
        for text in lines:
            if not text.endswith("\n"):
                continue  # cut short by a kill
            line = json.loads(text)
            if line.get("latency_ms") is not None:
                queries.setdefault(line["query"], {})[(line["batch"], line["topic"], line["slice"])] = line

replay = json.load(open(os.path.join(root, "replay.json")))
start = instant(replay["start"])
for name in sorted(queries, key=lambda q: (q not in ("simple", "windowed", "joined"), q)):
    lines = list(queries[name].values())
    first_end = min(instant(l["end"]) for l in lines)
    for label, warm in [("all slices", False), ("after its first batch", True)]:
        chosen = [l for l in lines if not warm or instant(l["due"]) >= first_end]
        xs = sorted(l["latency_ms"] / 1000 for l in chosen)
        if xs:
            print(f"  {name:22s} {label:22s} {len(xs):4d} slices  latency p50 {pct(xs, 50):6.2f} s  "
                  f"p99 {pct(xs, 99):6.2f} s  max {xs[-1]:6.2f} s")
        if by_minute and warm:
            minutes = {}
            for l in chosen:
                minutes.setdefault(int((instant(l["due"]) - start) // 60), []).append(l["latency_ms"] / 1000)
            for m in sorted(minutes):
                ys = sorted(minutes[m])
                print(f"    minute {m:3d}: {len(ys):4d} slices  p50 {pct(ys, 50):6.2f} s  p99 {pct(ys, 99):6.2f} s")
