#!/usr/bin/env bash
# Benchmark of run-query: prints figures, asserts nothing.
#   1. catch-up: `run-query all --trigger available-now` over the whole replayed bundled data, with the
#      default layout (one file per source file) and with --merge-slices: seconds after the
#      SparkSession started, and peak RSS;
#   2. live latency: replay at SPEEDUP (default 1) with `run-query all --until-replay-complete` beside
#      it; per slice, the time from its due publication instant to the commit of the micro-batch that
#      processed it, p50/p99 per query (from the checkpoints' source and commit logs).
#   0. the floor: the same catch-up over the first slice only (6 files), i.e. what a cold JVM and four
#      queries' first micro-batches cost before any data volume counts.
# Usage: scripts/bench-queries.sh   (SPEEDUP=1 LAYOUTS="default merged" SKIP_CATCHUP=0 SKIP_LIVE=0 JAR=...
#                                    JAVA_OPTS="" for run-query, e.g. -XX:TieredStopAtLevel=1 or -Dspark.*)
set -euo pipefail
cd "$(dirname "$0")/.."

SPEEDUP=${SPEEDUP:-1}
LAYOUTS=${LAYOUTS:-"default merged"}
JAR=${JAR:-target/dsc650.jar}   # another build to compare: JAR=/tmp/before.jar
[ -f "$JAR" ] || mvn -B -q -ntp package -DskipTests
work=$(mktemp -d "${TMPDIR:-/tmp}/bench-queries.XXXXXX")
[ -n "${KEEP:-}" ] && echo "work folder kept: $work" || trap 'rm -rf "$work"' EXIT

flags() { [ "$1" = merged ] && echo "--merge-slices" || true; }

if [ "${SKIP_CATCHUP:-0}" != 1 ]; then
  echo "== floor: run-query all --trigger available-now over the first slice only (6 files)"
  r="$work/floor"
  mkdir -p "$r"
  java -jar "$JAR" stream-data --max-speed --results "$r/full" > /dev/null 2>&1
  cp "$r/full/replay.json" "$r/"
  for topic in accelerations locations; do
    # the first slice folder and its publish-log batch only: not _spark_metadata, whose log names
    # every published file
    first=$(ls "$r/full/input/$topic" | grep '^t=' | sort | head -1)
    mkdir -p "$r/input/$topic/_dsc650_batches" && cp -r "$r/full/input/$topic/$first" "$r/input/$topic/"
    cp "$r/full/input/$topic/_dsc650_batches/0" "$r/input/$topic/_dsc650_batches/"
  done
  java ${JAVA_OPTS:-} -jar "$JAR" run-query all --trigger available-now --results "$r" > "$work/out" 2>&1
  echo "first slice: $(grep -o 'stopped [0-9.]* s after' "$work/out" | grep -o '[0-9.]*') s after the SparkSession started"
  [ -n "${KEEP:-}" ] || rm -rf "$r"
  echo
fi

echo "== catch-up: run-query all --trigger available-now over the whole bundled data"
for layout in $([ "${SKIP_CATCHUP:-0}" = 1 ] || echo $LAYOUTS); do
  r="$work/catchup-$layout"
  java -jar "$JAR" stream-data --max-speed $(flags "$layout") --results "$r" > /dev/null 2>&1
  /usr/bin/time -f "%e %M" -o "$work/time" java ${JAVA_OPTS:-} -jar "$JAR" run-query all --trigger available-now \
      --results "$r" > "$work/out" 2>&1
  read -r wall rss_kb < "$work/time"
  after=$(grep -o 'stopped [0-9.]* s after' "$work/out" | grep -o '[0-9.]*')
  printf "%-8s layout: %5s s after the SparkSession started (%s s wall with JVM and session start), peak RSS %d MiB\n" \
      "$layout" "$after" "$wall" $((rss_kb / 1024))
  [ -n "${KEEP:-}" ] || rm -rf "$r"
done

[ "${SKIP_LIVE:-0}" = 1 ] && exit 0
echo
echo "== live: replay at speed-up $SPEEDUP with run-query all beside it; latency = batch commit - slice due"
for layout in $LAYOUTS; do
  r="$work/live-$layout"
  mkdir -p "$r"
  java -jar "$JAR" stream-data --speedup "$SPEEDUP" $(flags "$layout") --results "$r" > "$work/replay.log" 2>&1 &
  replayer=$!
  until [ -f "$r/replay.json" ]; do sleep 0.1; done
  # every batch's offset and commit logs are kept (Spark keeps 100 by default) so that each slice maps to its batch
  /usr/bin/time -f "%M" -o "$work/time" java ${JAVA_OPTS:-} -Dspark.sql.streaming.minBatchesToRetain=100000 \
      -jar "$JAR" run-query all --until-replay-complete \
      --results "$r" > "$work/out" 2>&1
  wait $replayer
  echo "$layout layout (peak RSS of run-query $(( $(cat "$work/time") / 1024 )) MiB):"
  python3 scripts/batch-latency.py "$r"
  [ -n "${KEEP:-}" ] || rm -rf "$r"
done
