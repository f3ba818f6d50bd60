#!/usr/bin/env bash
# Benchmark of stream-data: prints figures, asserts nothing.
#   - --max-speed over the whole source: wall time (JVM start included) and peak RSS, against `cp -r`
#     of the same folder measured in the same run;
#   - publish lag (actual publish - due instant) at several speed-ups, from replay.json;
#   - the schedule as an outside reader sees it: a poller lists input every POLL_MS (default 2 ms) and
#     notes when each slice folder appears, against its due instant S + t / speed-up (POLLED_SPEEDUPS).
#     A poller spinning every 0.5 ms takes most of one of the two CPUs and makes the replay itself late
#     at 50x (measured: p99 2.3 s seen, 2 ms in replay.json without the poller); 2 ms costs little.
# Usage: scripts/bench-replay.sh   (SPEEDUPS="1 10 50 100" POLLED_SPEEDUPS="20 50" RUNS=3 SOURCE=data/processed/bdd
#                                   JAR=target/dsc650.jar)
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/bench-lib.sh

SOURCE=${SOURCE:-data/processed/bdd}
RUNS=${RUNS:-3}
SPEEDUPS=${SPEEDUPS:-"1 10 50 100 200"}
POLLED_SPEEDUPS=${POLLED_SPEEDUPS:-"20 50"}
POLL_MS=${POLL_MS:-2}
bench_build
bench_workdir bench-replay
now() { date +%s.%N; }

echo "source: $SOURCE ($(find "$SOURCE" -name '*.parquet' | wc -l) files, $(du -sh "$SOURCE" | cut -f1)); $(nproc) CPUs"
echo
echo "== --max-speed, fresh results folder each run =="
for i in $(seq "$RUNS"); do
  t0=$(now); cp -r "$SOURCE" "$work/cp-$i"; t1=$(now)
  cp_s=$(echo "$t1 - $t0" | bc -l)
  timed java -jar "$JAR" stream-data --max-speed --source "$SOURCE" --results "$work/fresh-$i" > /dev/null 2>&1
  printf "run %d: stream-data %.2f s wall, peak RSS %d MiB | cp -r %.2f s | ratio %.1fx\n" \
      "$i" "$wall" "$rss_mib" "$cp_s" "$(echo "$wall / $cp_s" | bc -l)"
done

echo
echo "== --max-speed with the JIT limited to C1 (-XX:TieredStopAtLevel=1), fresh results folder =="
for i in $(seq "$RUNS"); do
  timed java -XX:TieredStopAtLevel=1 -jar "$JAR" stream-data --max-speed \
      --source "$SOURCE" --results "$work/c1-$i" > /dev/null 2>&1
  printf "run %d: %.2f s wall, peak RSS %d MiB\n" "$i" "$wall" "$rss_mib"
done

echo
echo "== --max-speed again into the same results folder (clears the previous input first) =="
for i in $(seq "$RUNS"); do
  timed java -jar "$JAR" stream-data --max-speed --source "$SOURCE" --results "$work/fresh-1" > /dev/null 2>&1
  printf "run %d: %.2f s wall, peak RSS %d MiB\n" "$i" "$wall" "$rss_mib"
done

echo
echo "== publish lag by speed-up (ms; from replay.json) =="
for x in $SPEEDUPS; do
  java -jar "$JAR" stream-data --speedup "$x" --source "$SOURCE" --results "$work/lag-$x" > /dev/null 2>&1
  python3 - "$work/lag-$x/replay.json" "$x" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
lag = r["lag_ms"]
print(f"speed-up {sys.argv[2]:>5}: p50 {lag['p50']:.3f}  p99 {lag['p99']:.3f}  max {lag['max']:.3f}  "
      f"({r['published_slices']} slices in {r['wall_seconds']:.1f} s)")
PY
  rm -rf "$work/lag-$x"
done

echo
echo "== the schedule seen from outside: a poller lists input every $POLL_MS ms (lag = first seen - due) =="
for x in $POLLED_SPEEDUPS; do
  r="$work/polled-$x"
  mkdir -p "$r"
  java -jar "$JAR" stream-data --speedup "$x" --source "$SOURCE" --results "$r" > /dev/null 2>&1 &
  replayer=$!
  python3 - "$r" "$x" "$replayer" "$POLL_MS" <<'PY'
import json, os, sys, time
from datetime import datetime
root, speedup, pid, poll = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]) / 1000
seen = {}
def alive():
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False
while alive():
    now = time.time()
    for topic in ("accelerations", "locations"):
        try:
            names = os.listdir(os.path.join(root, "input", topic))
        except FileNotFoundError:
            continue
        for n in names:
            if n.startswith("t=") and (topic, n) not in seen:
                seen[(topic, n)] = now
    time.sleep(poll)
m = json.load(open(os.path.join(root, "replay.json")))
start = datetime.fromisoformat(m["start"].replace("Z", "+00:00")).timestamp()
lags = sorted((t - (start + float(n[2:]) / speedup)) * 1000 for (topic, n), t in seen.items())
def pct(p):
    return lags[min(len(lags) - 1, max(0, -(-p * len(lags) // 100) - 1))]
own = m["lag_ms"]
print(f"speed-up {speedup:>5g}: {len(lags)} slices seen, lag p50 {pct(50):.2f} ms  p99 {pct(99):.2f} ms  "
      f"max {lags[-1]:.2f} ms ({m['status']}; replay.json beside it: p99 {own['p99']:.2f} ms)")
PY
  wait $replayer || true
  rm -rf "$r"
done
