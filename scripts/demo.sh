#!/usr/bin/env bash
# The whole demo on the bundled data: replay it as a live stream and run all three Spark queries beside it.
#   scripts/demo.sh                 # speed-up 2.5: the 129 s of recorded rides in about a minute
#   SPEEDUP=10 scripts/demo.sh      # faster
#   RESULTS=/tmp/demo scripts/demo.sh
#   MERGE=0 scripts/demo.sh         # the course's layout, one file per source file (Spark then lags behind)
#   LIVE=0 scripts/demo.sh          # without the live page (report --serve on http://127.0.0.1:$PORT/, 8650)
set -euo pipefail
cd "$(dirname "$0")/.."

SPEEDUP=${SPEEDUP:-2.5}
RESULTS=${RESULTS:-results/stream}
# One file per slice and topic: Spark pays per file, and four queries on a small machine keep up
# with a live replay only with few files (docs/performance.md).
MERGE=${MERGE:-1}
merge_flag=""
[ "$MERGE" = 1 ] && merge_flag="--merge-slices"
JAR=$PWD/target/dsc650.jar # absolute: the class archive below is tied to the jar's path

if [ ! -f "$JAR" ]; then
  echo "== building $JAR (first run only, about a minute)"
  mvn -B -q -ntp package -DskipTests
fi

mkdir -p "$RESULTS"

# Class data sharing (docs/run-query.md, "Starting faster"): the JVMs load the jar's classes from an
# archive of them, which the first demo's run-query writes as it ends (the tests make the same one)
# and which is used while it is newer than the jar: run-query is ready ~4 s sooner. On Java 17 this
# takes a JVM flag, which a plain `java -jar` does not have.
JSA=target/dsc650.jsa
cds=()
if [ -f "$JSA" ] && [ "$JSA" -nt "$JAR" ]; then
  cds=(-XX:SharedArchiveFile="$JSA")
  query_cds=("${cds[@]}")
else
  query_cds=(-XX:ArchiveClassesAtExit="$JSA.new" -Xlog:cds=off -Xlog:cds+dynamic=off)
fi

live=""
if [ "${LIVE:-1}" = 1 ]; then
  # the live page, started first so that it shows the run from its first slice
  java "${cds[@]}" -jar "$JAR" report --serve --port "${PORT:-8650}" --results "$RESULTS" > "$RESULTS/live-page.log" 2>&1 &
  live=$!
  until grep -q '^live page:' "$RESULTS/live-page.log" 2>/dev/null || ! kill -0 $live 2>/dev/null; do sleep 0.1; done
  if kill -0 $live 2>/dev/null; then
    echo "== watch it live: $(grep -m1 -o 'http://[^ ]*' "$RESULTS/live-page.log")  (open it now: it updates itself)"
  else
    echo "== no live page: $(tail -1 "$RESULTS/live-page.log") (LIVE=0 to skip it, PORT=... for another port)"
    live=""
  fi
fi
stop_live() { [ -z "$live" ] || kill $live 2>/dev/null || true; }

echo "== replaying data/processed/bdd into $RESULTS/input at speed-up $SPEEDUP ${merge_flag}"
# the replay's clock starts once run-query's queries are running and warm (--wait-for-queries)
java "${cds[@]}" -jar "$JAR" stream-data --speedup "$SPEEDUP" $merge_flag --wait-for-queries --results "$RESULTS" \
    > "$RESULTS/stream-data.log" 2>&1 &
replayer=$!
trap 'kill $replayer 2>/dev/null || true; stop_live' EXIT
# run-query follows the replay that holds the lock (not an earlier run's replay.json)
until [ -f "$RESULTS/.replay.lock" ] || ! kill -0 $replayer 2>/dev/null; do sleep 0.1; done

echo "== running the queries (simple, windowed, joined) until the replay is complete, then draining them"
java "${query_cds[@]}" -jar "$JAR" run-query all --fresh --until-replay-complete --results "$RESULTS" 2>&1
if [ -f "$JSA.new" ]; then
  mv -f "$JSA.new" "$JSA" # the next demo starts from it
fi
wait $replayer
trap stop_live EXIT

echo
echo "== $(grep -m1 '^replay \(complete\|stopped\)' "$RESULTS/stream-data.log")"
echo "== outputs:"
echo "   $RESULTS/output/simple/{accelerations,locations}   copies of both streams (parquet, file sink)"
echo "   $RESULTS/output/windowed/batch_id=*/               mean speed per ride and 15 s window (latest batch_id wins)"
echo "   $RESULTS/output/stream-joined/                     fixes joined with their accelerometer samples"

echo
echo "== writing the report (charts of the rides, the join, the replay and the queries)"
# the live page writes it once the run is over (and serves it at /report); without one, or if it
# did not start to within 15 s, the demo writes it
written=""
if [ -n "$live" ]; then
  for _ in $(seq 150); do
    grep -q '^the run is over' "$RESULTS/live-page.log" && break
    sleep 0.1
  done
  if grep -q '^the run is over' "$RESULTS/live-page.log"; then
    until grep -q '^report written' "$RESULTS/live-page.log" || ! kill -0 $live 2>/dev/null \
        || grep -q 'writing the report after the run failed' "$RESULTS/live-page.log"; do sleep 0.2; done
    written=$(grep -m1 '^report written' "$RESULTS/live-page.log" || true)
  fi
fi
if [ -n "$written" ]; then
  echo "$written"
else
  java "${cds[@]}" -jar "$JAR" report --results "$RESULTS" | tail -1
fi
if [ -n "$live" ] && [ -t 0 ]; then
  echo "== the live page stays at $(grep -m1 -o 'http://[^ ]*' "$RESULTS/live-page.log") until Ctrl-C"
  wait $live || true
fi
