#!/usr/bin/env bash
# Soak: run-query all beside an endless replay, sampling every SAMPLE seconds what must stay flat
# after warm-up: the RSS of both processes, the disk use of results/ (input and the rest apart from
# the outputs, which are the results and grow), and the file counts of the logs. Then both are
# stopped (SIGTERM: a background job of a script ignores SIGINT) and the outputs are checked against
# the input the retention left (edu.dsc650.query.SoakCheck). Prints figures; exits 1 if a process
# failed or the check did.
#
# Usage: scripts/soak.sh   (MINUTES=30 SPEEDUP=10 RETAIN="10 minutes" LAYOUT=merged|default SAMPLE=60
#                           QUERIES="simple windowed joined" JAR=... KEEP=1)
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES=${MINUTES:-30}
SPEEDUP=${SPEEDUP:-10}
RETAIN=${RETAIN:-10 minutes}
LAYOUT=${LAYOUT:-merged}
SAMPLE=${SAMPLE:-60}
QUERIES=${QUERIES:-all}
source scripts/bench-lib.sh
bench_build
source scripts/lib.sh   # JAVA_OPENS: the check runs Spark from a class path, not the jar's manifest
[ -d target/test-classes/edu/dsc650/query ] || mvn -B -q -ntp test-compile
[ -f target/test-classpath.txt ] || mvn -B -q -ntp dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt
bench_workdir soak
r="$work/results"
merge=$([ "$LAYOUT" = merged ] && echo --merge-slices || true)

start_replay "$r" "$work/replay.err" --loop 0 --speedup "$SPEEDUP" --retain "$RETAIN" $merge
replay=$replayer
java -jar "$JAR" run-query $QUERIES --results "$r" > "$work/query.out" 2> "$work/query.err" &
query=$!

rss() { ps -o rss= -p "$1" 2>/dev/null | awk '{printf "%d", $1 / 1024}'; }
mib() { du -sm --apparent-size "$@" 2>/dev/null | awk '{s += $1} END {printf "%d", s}'; }
count() { find "$@" -type f 2>/dev/null | wc -l; }
echo "soak: run-query $QUERIES, $MINUTES min, --speedup $SPEEDUP, --retain $RETAIN, $LAYOUT layout; a line every $SAMPLE s"
printf "%5s %9s %9s %9s %9s %9s %8s %8s %8s %8s %8s\n" min replayMiB queryMiB inputMiB restMiB outputMiB \
    sinklog publog ckptFiles progress slices
start=$(date +%s)
while [ $(( $(date +%s) - start )) -lt $((MINUTES * 60)) ]; do
  sleep "$SAMPLE"
  kill -0 $replay 2>/dev/null || { echo "stream-data ended:"; tail -3 "$work/replay.err"; exit 1; }
  kill -0 $query 2>/dev/null || { echo "run-query ended:"; tail -3 "$work/query.err" "$work/query.out"; exit 1; }
  printf "%5.1f %9s %9s %9s %9s %9s %8s %8s %8s %8s %8s\n" "$(echo "($(date +%s) - $start) / 60" | bc -l)" \
      "$(rss $replay)" "$(rss $query)" "$(mib "$r/input")" \
      "$(mib "$r/checkpoints" "$r/progress" "$r/control" "$r/replay-slices.jsonl" "$r/replay-slices.jsonl.1")" \
      "$(mib "$r/output")" "$(count "$r"/input/*/_spark_metadata)" "$(count "$r"/input/*/_dsc650_batches)" \
      "$(count "$r/checkpoints")" "$(count "$r/progress")" "$(cat "$r"/replay-slices.jsonl* | wc -l)"
done
kill -TERM $query; wait $query || true
kill -TERM $replay; wait $replay || true
echo "run-query: $(grep -c '' "$work/query.err") lines on stderr; last: $(tail -1 "$work/query.out")"
"$JAVA" "${JAVA_OPENS[@]}" -Xmx12g -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
    edu.dsc650.query.SoakCheck "$r"
