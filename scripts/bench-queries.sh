#!/usr/bin/env bash
# Benchmark of run-query: prints figures, asserts nothing.
#   0. the floor: `run-query all --trigger available-now` over the first slice only (6 files), i.e.
#      what a cold JVM and three queries' first micro-batches cost before any data volume counts;
#   1. catch-up: the same over the whole replayed bundled data, default layout (one file per source
#      file) and --merge-slices: seconds after the SparkSession started, wall, peak RSS;
#   2. live latency: replay at SPEEDUP (default 1) with `run-query all --until-replay-complete` beside
#      it; per slice, the time from its due publication instant to the commit of the micro-batch that
#      processed it, p50/p99 per query (from the checkpoints' source and commit logs), over every
#      slice and over the slices after each query's first batch. stream-data starts first with
#      --wait-for-queries, then run-query, as the demo does (WAIT=0: the replay starts at once, and
#      run-query once replay.json is there, as before --wait-for-queries existed);
#   3. the demo as shipped: scripts/demo.sh's commands (merged slices, speed-up 2.5);
#      and the CPU the run-query process used during the replay (from /proc), per micro-batch, with
#      each phase's median (Spark's durationMs): scripts/batch-cpu.py;
#   4. with ALONE=1: each query alone beside the replay (default layout, SPEEDUP), the figure that
#      "together" is compared with.
#   LOOP=3 replays the data three times in each live run (stream-data --loop): batch-cpu.py's "last
#   third" is then the last lap, the steady state once the JIT has compiled what is hot.
# Usage: scripts/bench-queries.sh   (SPEEDUP=1 LAYOUTS="default merged" SKIP_CATCHUP=0 SKIP_LIVE=0 SKIP_DEMO=0 ALONE=0
#                                    ALONE_QUERIES="simple windowed joined"
#                                    WAIT=1 LOOP=1 JAR=... JAVA_OPTS="" for run-query, e.g. -XX:TieredStopAtLevel=1
#                                    or -Dspark.*; QUERY_ARGS="" more run-query arguments)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bench-lib.sh

SPEEDUP=${SPEEDUP:-1}
LAYOUTS=${LAYOUTS:-"default merged"}
bench_build
bench_workdir bench-queries

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
  echo "first slice: $(query_seconds "$r") s after the SparkSession started"
  [ -n "${KEEP:-}" ] || rm -rf "$r"
  echo

  echo "== catch-up: run-query all --trigger available-now over the whole bundled data"
  for layout in $LAYOUTS; do
    r="$work/catchup-$layout"
    java -jar "$JAR" stream-data --max-speed $(layout_flags "$layout") --results "$r" > /dev/null 2>&1
    timed java ${JAVA_OPTS:-} -jar "$JAR" run-query all --trigger available-now --results "$r" > "$work/out" 2>&1
    printf "%-8s layout: %5s s after the SparkSession started (%s s wall with JVM and session start), peak RSS %d MiB\n" \
        "$layout" "$(query_seconds "$r")" "$wall" "$rss_mib"
    [ -n "${KEEP:-}" ] || rm -rf "$r"
  done
fi

# live RESULTS SPEEDUP LAYOUT [QUERY...]: the replay and run-query (all) beside it, then each
# slice's latency.
live() {
  local r=$1 speedup=$2 layout=$3 wait_flag=""
  shift 3
  local queries=${*:-all}
  [ "${WAIT:-1}" = 1 ] && wait_flag="--wait-for-queries"
  mkdir -p "$r"
  start_replay "$r" "$work/replay.log" --speedup "$speedup" --loop "${LOOP:-1}" $(layout_flags "$layout") $wait_flag
  timed java ${JAVA_OPTS:-} \
      -jar "$JAR" run-query $queries --until-replay-complete --results "$r" ${QUERY_ARGS:-} > "$work/out" 2>&1 &
  local timer=$! query_pid=""
  until [ -n "$query_pid" ] || ! kill -0 "$timer" 2>/dev/null; do
    # timed runs in a subshell of its own, /usr/bin/time under it, java under that
    query_pid=$(pgrep -f -- "^java .*-jar $JAR run-query $queries --until-replay-complete --results $r" || true)
    sleep 0.05
  done
  sample_cpu "$query_pid" > "$work/cpu" &
  wait "$timer"
  read -r wall rss_kb < "$work/.time"
  rss_mib=$((rss_kb / 1024))
  wait "$replayer"
  echo "$queries, $layout layout, speed-up $speedup (peak RSS of run-query $rss_mib MiB; $(grep -m1 'warmed up' "$work/out" || echo 'no warm-up'))"
  live_latency "$r"
  python3 scripts/batch-cpu.py "$r" "$work/cpu"
  [ -n "${KEEP:-}" ] || rm -rf "$r"
}

if [ "${SKIP_LIVE:-0}" != 1 ]; then
  echo
  echo "== live: replay at speed-up $SPEEDUP with run-query all beside it; latency = batch commit - slice due"
  for layout in $LAYOUTS; do
    live "$work/live-$layout" "$SPEEDUP" "$layout"
  done
fi

if [ "${SKIP_DEMO:-0}" != 1 ]; then
  echo
  echo "== the demo as shipped (scripts/demo.sh: merged slices, speed-up 2.5)"
  live "$work/demo" 2.5 merged
fi

if [ "${ALONE:-0}" = 1 ]; then
  echo
  echo "== each query alone: replay at speed-up $SPEEDUP, default layout"
  for q in ${ALONE_QUERIES:-simple windowed joined}; do
    live "$work/alone-$q" "$SPEEDUP" default "$q"
  done
fi
