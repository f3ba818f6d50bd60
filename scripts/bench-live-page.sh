#!/usr/bin/env bash
# Benchmark of report --serve over a long run: prints figures, asserts nothing.
# report --serve on a fresh results folder with one page open (curl on its event stream), an endless
# replay (stream-data --loop 0) and run-query all beside it; the server's CPU per minute from /proc,
# and what it sent. Its cost per update should stay flat as the run goes on.
# Usage: scripts/bench-live-page.sh   (MINUTES=10 SPEEDUP=10 JAR=...)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bench-lib.sh

MINUTES=${MINUTES:-10}
SPEEDUP=${SPEEDUP:-10}
bench_build
bench_workdir bench-live-page
r="$work/results"
mkdir -p "$r"

java -jar "$JAR" report --serve --port 0 --results "$r" > "$work/serve.log" 2>&1 &
serve=$!
until grep -q '^live page' "$work/serve.log" 2>/dev/null || ! kill -0 $serve 2>/dev/null; do sleep 0.1; done
address=$(grep -m1 -o 'http://[^ ]*' "$work/serve.log")
sample_cpu $serve > "$work/serve.cpu" &
curl -sN "${address}events" > "$work/events.txt" &
page=$!
java -jar "$JAR" stream-data --loop 0 --speedup "$SPEEDUP" --merge-slices --wait-for-queries --results "$r" \
    > "$work/replay.log" 2>&1 &
replay=$!
java -jar "$JAR" run-query all --results "$r" > "$work/query.log" 2>&1 &
query=$!
echo "report --serve at $address, an endless replay at ${SPEEDUP}x and run-query all beside it, for $MINUTES min"
sleep $((MINUTES * 60))
kill $replay; sleep 2; kill $query; sleep 5; kill $page $serve
wait $serve 2>/dev/null || true

python3 - "$work" <<'PY'
import os, sys
work = sys.argv[1]
ticks = os.sysconf("SC_CLK_TCK")
samples = [(float(a[0]), int(a[1]) / ticks) for a in (l.split() for l in open(work + "/serve.cpu")) if len(a) >= 2]
t0 = samples[0][0]
for m in range(int((samples[-1][0] - t0) // 60) + 1):
    w = [s for s in samples if t0 + 60 * m <= s[0] < t0 + 60 * (m + 1)]
    if len(w) > 1:
        print(f"minute {m}: report --serve used {100 * (w[-1][1] - w[0][1]) / (w[-1][0] - w[0][0]):.1f} % of a core")
events = open(work + "/events.txt").read()
print(f"updates sent: {events.count('event: ')}, {len(events) / 1e6:.1f} MB")
PY
echo "micro-batches: $(cat "$r"/progress/*/*.jsonl | wc -l)"
[ -n "${KEEP:-}" ] || rm -rf "$work"
