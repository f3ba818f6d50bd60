#!/usr/bin/env bash
# Before/after benchmark of run-query, interleaved in one go on one machine: for each round, each
# jar, and each set of queries, a replay of the bundled data at SPEEDUP with the queries beside it
# (stream-data --wait-for-queries, run-query --until-replay-complete, as the README does). Prints,
# per run and query: micro-batches with data, their mean and median duration (Spark's
# triggerExecution), and the run-query process's CPU seconds (user + system); then each slice's
# latency (scripts/batch-latency.py). Prints figures, asserts nothing.
# Usage: BEFORE=/tmp/before.jar AFTER=target/dsc650.jar scripts/bench-ab.sh
#        (SPEEDUP=2 ROUNDS=2 SETS="simple all" LAYOUT=default|merged)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bench-lib.sh

BEFORE=${BEFORE:?the jar to compare with, e.g. BEFORE=/tmp/before.jar}
AFTER=${AFTER:-target/dsc650.jar}
SPEEDUP=${SPEEDUP:-2}
ROUNDS=${ROUNDS:-2}
SETS=${SETS:-"simple all"}
LAYOUT=${LAYOUT:-default}
bench_workdir bench-ab

# batches RESULTS QUERY: "<n> batches with data, mean <ms> ms, median <ms> ms" from progress/
batches() {
  python3 - "$1" "$2" <<'PY'
import glob, json, statistics, sys
root, query = sys.argv[1], sys.argv[2]
d = []
for f in glob.glob(f"{root}/progress/{query}/*.jsonl"):
    for line in open(f):
        p = json.loads(line)
        if sum(s.get("numInputRows", 0) for s in p.get("sources", [])) > 0:
            d.append(p["durationMs"]["triggerExecution"])
if d:
    print(f"{len(d)} batches with data, mean {statistics.mean(d):.0f} ms, median {statistics.median(d):.0f} ms")
else:
    print("no batch with data")
PY
}

for round in $(seq 1 "$ROUNDS"); do
  for name in before after; do
    JAR=$([ "$name" = before ] && echo "$BEFORE" || echo "$AFTER")
    for set in $SETS; do
      r="$work/$name-$set-$round"
      mkdir -p "$r"
      start_replay "$r" "$work/replay.log" --speedup "$SPEEDUP" $(layout_flags "$LAYOUT") --wait-for-queries
      /usr/bin/time -f "%U %S" -o "$work/.cpu" java \
          -jar "$JAR" run-query $set --until-replay-complete --results "$r" > "$work/out" 2>&1
      wait "$replayer"
      read -r user sys < "$work/.cpu"
      echo "round $round, $name, run-query $set: CPU $(python3 -c "print(f'{$user + $sys:.1f}')") s (user $user, sys $sys)"
      queries=$([ "$set" = all ] && echo "simple windowed joined" || echo "$set")
      for q in $queries; do
        echo "  $q: $(batches "$r" "$q")"
      done
      live_latency "$r" | sed 's/^/  /'
      [ -n "${KEEP:-}" ] || rm -rf "$r"
    done
  done
done
