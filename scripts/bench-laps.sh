#!/usr/bin/env bash
# Benchmark of a finite run of many laps: stream-data --loop LAPS --max-speed, sampling once a second
# the size of input/*/_spark_metadata (the file-sink log the replay writes for Spark's readers) and
# how many slices are out. Prints per lap: the seconds it took to publish, and the log's size and
# file count at its end. Both should stay flat from lap to lap. Prints figures, asserts nothing.
# Usage: scripts/bench-laps.sh   (LAPS=30 JAR=... LAYOUT=default|merged)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bench-lib.sh
LAPS=${LAPS:-30}
LAYOUT=${LAYOUT:-default}
bench_build
bench_workdir bench-laps
r="$work/results"

start_replay "$r" "$work/replay.log" --max-speed --loop "$LAPS" $(layout_flags "$LAYOUT")
: > "$work/samples"
while kill -0 "$replayer" 2>/dev/null; do
  # the log changes under the listing (a compaction deletes older files): a sample may miss some
  slices=$( (cat "$r"/replay-slices.jsonl* 2>/dev/null || true) | wc -l)
  bytes=$( (du -sb --apparent-size "$r"/input/*/_spark_metadata 2>/dev/null || true) | awk '{s += $1} END {printf "%.0f", s}')
  files=$( (find "$r"/input/*/_spark_metadata -type f 2>/dev/null || true) | wc -l)
  echo "$slices $bytes $files" >> "$work/samples"
  sleep 1
done
wait "$replayer" || { echo "stream-data failed:"; tail -3 "$work/replay.log"; exit 1; }
python3 - "$r" "$work/samples" <<'PY'
import glob, json, sys
from datetime import datetime
root, samples = sys.argv[1], sys.argv[2]
lap = json.load(open(f"{root}/replay.json"))["lap_seconds"]
records = [json.loads(l) for f in sorted(glob.glob(f"{root}/replay-slices.jsonl*")) for l in open(f)]
per_lap = len(records) // max(1, round(max(float(r["slice"].split("=")[1]) for r in records) / lap))
t = lambda r: datetime.fromisoformat(r["published"].replace("Z", "+00:00")).timestamp()
records.sort(key=t)
rows = [tuple(map(int, l.split())) for l in open(samples) if l.strip()]
print(f"{'lap':>4} {'seconds':>8} {'log MiB':>8} {'log files':>9}")
laps = (len(records) + per_lap - 1) // per_lap
for k in range(laps):
    part = records[k * per_lap:(k + 1) * per_lap]
    start = t(records[k * per_lap - 1]) if k else t(part[0])
    out = (k + 1) * per_lap
    at = [s for s in rows if s[0] <= out]
    size, files = (at[-1][1], at[-1][2]) if at else (0, 0)
    print(f"{k + 1:>4} {t(part[-1]) - start:>8.1f} {size / 2**20:>8.1f} {files:>9}")
PY
