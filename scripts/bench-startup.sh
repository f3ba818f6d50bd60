#!/usr/bin/env bash
# Benchmark of run-query's start-up: prints figures, asserts nothing.
# As the demo starts it: stream-data --wait-for-queries first, then run-query all beside it; the
# figure is the wall time from run-query's start until every query says it is ready
# (control/<query>.ready: warmed up and started; the replay's clock starts then), and the CPU the
# run-query process used until then (from /proc). The JVM variants run interleaved, round by round:
#   default       java -jar, as a user runs it
#   cds           with a class-data-sharing archive of the jar (-XX:SharedArchiveFile; made first,
#                 by a catch-up run with -XX:ArchiveClassesAtExit, as docs/run-query.md shows)
#   c1            -Ddsc650.jit=c1: the quick JIT compiler only (the jar's switch for short runs)
#   cds+c1        both
# Usage: scripts/bench-startup.sh   (ROUNDS=3 VARIANTS="default cds c1 cds+c1" JAR=target/dsc650.jar)
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/bench-lib.sh

ROUNDS=${ROUNDS:-3}
VARIANTS=${VARIANTS:-"default cds c1 cds+c1"}
bench_build
bench_workdir bench-startup
jar=$(realpath "$JAR")
jsa="$work/dsc650.jsa"

# the archive: the classes a catch-up over the bundled data loads (the path of the jar must be the
# same when it is used)
if [[ " $VARIANTS " == *cds* ]]; then
  java -jar "$jar" stream-data --max-speed --merge-slices --results "$work/archive-run" > /dev/null 2>&1
  java -XX:ArchiveClassesAtExit="$jsa" -jar "$jar" run-query all --trigger available-now \
    --results "$work/archive-run" > "$work/archive.log" 2>&1
  echo "archive: $(du -h "$jsa" | cut -f1) ($jsa)"
fi

flags_of() {
  case "$1" in
    default) ;;
    cds) echo "-XX:SharedArchiveFile=$jsa" ;;
    c1) echo "-Ddsc650.jit=c1" ;;
    cds+c1) echo "-XX:SharedArchiveFile=$jsa -Ddsc650.jit=c1" ;;
    *) echo "unknown variant $1" >&2; exit 2 ;;
  esac
}

# ready VARIANT: one start-up; prints the variant, seconds until ready and the CPU seconds
ready() {
  local results="$work/r-$1-$RANDOM" flags
  flags=$(flags_of "$1")
  start_replay "$results" "$results.replay.log" --wait-for-queries
  local replay=$replayer
  local t0 t1 ticks
  t0=$(date +%s%N)
  # shellcheck disable=SC2086
  java $flags -jar "$jar" run-query all --results "$results" > "$results.log" 2>&1 &
  local query=$!
  until [ -f "$results/control/simple.ready" ] && [ -f "$results/control/windowed.ready" ] \
      && [ -f "$results/control/joined.ready" ]; do
    if ! kill -0 "$query" 2>/dev/null; then
      echo "run-query ended before it was ready:"; tail -5 "$results.log"; kill "$replay"; exit 1
    fi
    sleep 0.05
  done
  t1=$(date +%s%N)
  ticks=$(awk '{print $14 + $15}' "/proc/$query/stat")
  kill "$query" "$replay"
  wait "$query" "$replay" 2>/dev/null || true
  awk -v v="$1" -v w="$(( (t1 - t0) / 1000000 ))" -v c="$ticks" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "%-8s ready %5.1f s, CPU %5.1f s\n", v, w / 1000, c / hz }'
  rm -rf "$results" "$results.log" "$results.replay.log"
}

echo "run-query all, from its start until ready (beside stream-data --wait-for-queries); $(nproc) CPUs"
for round in $(seq "$ROUNDS"); do
  for v in $VARIANTS; do
    ready "$v"
  done
done
