#!/usr/bin/env bash
# Benchmark of the Kafka transport: prints figures, asserts nothing. Starts the broker
# (scripts/kafka.sh) if it is not running, and stops it again if it started it.
#   1. stream-data --max-speed over the bundled data: into files and into Kafka, interleaved
#      (RUNS each, default 3), wall clock from outside the process and peak RSS;
#   2. live latency at speed-up SPEEDUP (default 1): stream-data --to kafka:// with
#      `run-query all --from kafka:// --until-replay-complete` beside it; per slice, the time from its due
#      instant to the commit of the micro-batch that read it (scripts/batch-latency.py), p50/p99 per query.
# Usage: scripts/bench-kafka.sh   (RUNS=3 SPEEDUP=1 SKIP_MAX=0 SKIP_LIVE=0 JAR=... JAVA_OPTS="" for run-query)
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/bench-lib.sh

RUNS=${RUNS:-3}
SPEEDUP=${SPEEDUP:-1}
KAFKA=kafka://127.0.0.1:${KAFKA_PORT:-9092}
bench_build
bench_workdir bench-kafka
started_broker=0
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"; [ "$started_broker" = 1 ] && scripts/kafka.sh stop > /dev/null || true' EXIT
if ! scripts/kafka.sh status > /dev/null 2>&1; then
  scripts/kafka.sh start > /dev/null
  started_broker=1
fi

# replay_once LABEL RESULTS ARGS...: one stream-data run, "wall s, RSS MiB, replay s" on one line
replay_once() {
  local label=$1 results=$2
  shift 2
  timed java -jar "$JAR" stream-data --results "$results" "$@" > "$work/out" 2>&1
  printf "  %-7s %6s s wall, peak RSS %4d MiB (replay itself %.2f s)\n" "$label" "$wall" "$rss_mib" \
      "$(json_field "$results/replay.json" wall_seconds)"
}

if [ "${SKIP_MAX:-0}" != 1 ]; then
  echo "== stream-data --max-speed, bundled data (6,440 files, 199,975 rows), $RUNS runs each, interleaved"
  for i in $(seq 1 "$RUNS"); do
    replay_once files "$work/files" --max-speed
    replay_once kafka "$work/kafka" --max-speed --to "$KAFKA" --topic-prefix bench-
  done
  echo
fi

[ "${SKIP_LIVE:-0}" = 1 ] && exit 0
echo "== live: stream-data --to kafka at speed-up $SPEEDUP with run-query all --from kafka beside it"
r="$work/live"
mkdir -p "$r"
start_replay "$r" "$work/replay.log" --speedup "$SPEEDUP" --to "$KAFKA" --topic-prefix live-
# every batch's offset and commit logs are kept (Spark keeps 100 by default) so that each slice maps to its batch
timed java ${JAVA_OPTS:-} \
    -jar "$JAR" run-query all --from "$KAFKA" --topic-prefix live- --until-replay-complete --fresh \
    --results "$r" > "$work/query.log" 2>&1
wait "$replayer"
echo "peak RSS of run-query $rss_mib MiB; $(cat "$r"/progress/*/*.jsonl | wc -l) micro-batches"
live_latency "$r"
