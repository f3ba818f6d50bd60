#!/usr/bin/env python3
"""Live latency per slice, from a results folder after run-query: for every published slice, the time
from its due instant (S + t / speed-up, replay.json) to the commit of the micro-batch that read it
(the checkpoints' offset, source and commit logs; run-query's published source keeps the topic and
publish-log batch in each offset; run-query must keep them all:
-Dspark.sql.streaming.minBatchesToRetain=100000). Prints p50/p99/max per query; with --by-minute,
also per minute of the run (for soak runs). For a replay into Kafka (--to kafka://), a slice's batch
is the first whose Kafka offsets reached the slice's own (replay-slices.jsonl, kafka_offsets).

Usage: scripts/batch-latency.py RESULTS [--by-minute]
"""
import glob, json, os, re, sys
from datetime import datetime
root = sys.argv[1]
by_minute = '--by-minute' in sys.argv[2:]
replay = json.load(open(os.path.join(root, "replay.json")))
start = datetime.fromisoformat(replay["start"].replace("Z", "+00:00")).timestamp()
speedup = float(replay["speedup"])
def due(path):
    t = float(re.search(r"/t=([0-9.]+)/", path).group(1))
    return start + t / speedup
def latencies(checkpoint, after_first_commit=False):
    commits = {int(os.path.basename(p)): os.path.getmtime(p)
               for p in glob.glob(os.path.join(checkpoint, "commits", "[0-9]*")) if not p.endswith(".crc")}
    first = min(commits.values()) if commits else 0
    # A file source numbers its own log batches (only when it has new files), so the query batch that
    # read source batch n is the first whose offset for that source (offsets/<batch>) reached n.
    reached = {}  # source index -> sorted [(logOffset, query batch)]
    for p in glob.glob(os.path.join(checkpoint, "offsets", "[0-9]*")):
        lines = open(p).read().splitlines()
        for i, line in enumerate(lines[2:]):
            if line.startswith("{"):
                reached.setdefault(i, []).append((json.loads(line)["logOffset"], int(os.path.basename(p))))
    def query_batch(source, n):
        batches = [b for (offset, b) in sorted(reached.get(source, [])) if offset >= n]
        return min(batches) if batches else None
    per_slice = {}
    for log in glob.glob(os.path.join(checkpoint, "sources", "*", "*")):
        if log.endswith(".crc") or os.path.basename(log).startswith("."):
            continue
        source = int(os.path.basename(os.path.dirname(log)))
        for line in open(log):
            if not line.startswith("{"):
                continue
            e = json.loads(line)
            if "/t=" not in e["path"]:
                continue  # an end-of-stream marker (control/), not a slice
            b = query_batch(source, e["batchId"])
            if b is None or b not in commits:
                continue
            folder = os.path.dirname(e["path"])
            if after_first_commit and due(e["path"]) < first:
                continue
            lat = commits[b] - due(e["path"])
            per_slice[folder] = (due(e["path"]), max(per_slice.get(folder, (0, lat))[1], lat))
    return sorted(per_slice.values())
def kafka_latencies(checkpoint, after_first_commit=False):
    commits = {int(os.path.basename(p)): os.path.getmtime(p)
               for p in glob.glob(os.path.join(checkpoint, "commits", "[0-9]*")) if not p.endswith(".crc")}
    first = min(commits.values()) if commits else 0
    reached = []  # (query batch, {kafka topic: {partition: next offset}})
    for p in glob.glob(os.path.join(checkpoint, "offsets", "[0-9]*")):
        if p.endswith(".crc"):
            continue
        offsets = {}
        for line in open(p).read().splitlines()[2:]:
            if line.startswith("{") and "logOffset" not in line:
                for topic, parts in json.loads(line).items():
                    offsets.setdefault(topic, {}).update({int(k): v for k, v in parts.items()})
        reached.append((int(os.path.basename(p)), offsets))
    reached.sort()
    names = replay["kafka"]["topics"]
    per_slice = []
    for rec in slice_records:
        topic, ends = names[rec["topic"]], rec.get("kafka_offsets") or {}
        if not ends or rec["due"] is None:
            continue
        batch = next((b for b, o in reached if topic in o
                      and all(o[topic].get(int(part), 0) >= end for part, end in ends.items())), None)
        if batch is None or batch not in commits:
            continue
        due_at = datetime.fromisoformat(rec["due"].replace("Z", "+00:00")).timestamp()
        if after_first_commit and due_at < first:
            continue
        per_slice.append((due_at, commits[batch] - due_at))
    return sorted(per_slice)
def published_latencies(checkpoint, after_first_commit=False):
    # run-query's published source: an offset {"run", "topic", "batch": n} has read the topic's
    # publish-log batches up to n, and batch n is the topic's n-th published slice
    commits = {int(os.path.basename(p)): os.path.getmtime(p)
               for p in glob.glob(os.path.join(checkpoint, "commits", "[0-9]*")) if not p.endswith(".crc")}
    first = min(commits.values()) if commits else 0
    reached = []  # (query batch, {topic: publish-log batch})
    for p in glob.glob(os.path.join(checkpoint, "offsets", "[0-9]*")):
        if p.endswith(".crc"):
            continue
        offsets = {}
        for line in open(p).read().splitlines()[2:]:
            if line.startswith("{") and '"topic"' in line:
                o = json.loads(line)
                offsets[o["topic"]] = o["batch"]
        reached.append((int(os.path.basename(p)), offsets))
    reached.sort()
    per_slice, index = [], {}
    for rec in slice_records:
        n = rec.get("batch", index.get(rec["topic"], 0))  # the topic's publish-log batch
        index[rec["topic"]] = n + 1
        if rec["due"] is None:
            continue
        batch = next((b for b, o in reached if o.get(rec["topic"], -1) >= n), None)
        if batch is None or batch not in commits:
            continue
        due_at = datetime.fromisoformat(rec["due"].replace("Z", "+00:00")).timestamp()
        if after_first_commit and due_at < first:
            continue
        per_slice.append((due_at, commits[batch] - due_at))
    return sorted(per_slice)
file_latencies = latencies
def latencies(checkpoint, after_first_commit=False):
    offsets = glob.glob(os.path.join(checkpoint, "offsets", "[0-9]*"))
    published = any('"topic"' in open(p).read() for p in offsets[:3] if not p.endswith(".crc"))
    return (published_latencies if published else file_latencies)(checkpoint, after_first_commit)
slices_file = os.path.join(root, "replay-slices.jsonl")
slice_records = [json.loads(l) for f in (slices_file + ".1", slices_file) if os.path.exists(f)
                 for l in open(f) if l.endswith("\n")]
if replay.get("kafka"):
    latencies = kafka_latencies
def pct(xs, p):
    return xs[min(len(xs) - 1, max(0, int(-(-p * len(xs) // 100)) - 1))]
# simple is one streaming query over both topics (checkpoints/simple); before, one per topic
checkpoints = ["simple/accelerations", "simple/locations"] \
    if os.path.isdir(os.path.join(root, "checkpoints", "simple", "accelerations")) else ["simple"]
for name, cp in [(c, c) for c in checkpoints] + [("windowed", "windowed"), ("joined", "joined")]:
    for label, warm in [("all slices", False), ("after its first batch", True)]:
        slices = latencies(os.path.join(root, "checkpoints", cp), warm)
        xs = sorted(lat for _, lat in slices)
        if xs:
            print(f"  {name:22s} {label:22s} {len(xs):4d} slices  latency p50 {pct(xs, 50):6.2f} s  "
                  f"p99 {pct(xs, 99):6.2f} s  max {xs[-1]:6.2f} s")
        if by_minute and warm:
            minutes = {}
            for d, lat in slices:
                minutes.setdefault(int((d - start) // 60), []).append(lat)
            for m in sorted(minutes):
                ys = sorted(minutes[m])
                print(f"    minute {m:3d}: {len(ys):4d} slices  p50 {pct(ys, 50):6.2f} s  p99 {pct(ys, 99):6.2f} s")
