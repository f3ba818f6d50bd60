#!/usr/bin/env bash
# The cost curve of --scale (and a soak of --loop): prints figures, asserts nothing. Each part can be
# run alone (PARTS), since the whole takes about an hour on 2 cores.
#   replay   stream-data --max-speed at each scale and layout: wall time, peak RSS, validation time;
#            the publish lag p99 (replay.json) at 1x and at each of FAST_SPEEDUPS, to find the highest
#            speed-up whose p99 stays <= 10 ms
#   catchup  run-query all --trigger available-now over each replayed scale: seconds after the
#            SparkSession started, rows per second, peak RSS
#   live     stream-data at 1x with run-query all --until-replay-complete beside it, at each of
#            LIVE_SCALES: latency per slice p50/p99 per query (scripts/batch-latency.py)
#   cluster  the same live run on the local standalone cluster with two workers (spark-submit)
#   soak     run-query all beside stream-data --loop 0 --speedup 10 for SOAK_MINUTES (10): RSS and
#            state rows every 30 s, latency per minute
# Usage: scripts/bench-scale.sh   (PARTS="replay catchup live cluster soak" SCALES="1 10 100"
#        LAYOUTS="default merged" LIVE_SCALES="1 10" FAST_SPEEDUPS="10 50 100" SOAK_MINUTES=10 JAR=...)
# Scale 100 in the default layout is 644,000 files (4.7 GB); it is replayed, not queried
# (QUERY_DEFAULT_UP_TO, default 10).
set -euo pipefail
cd "$(dirname "$0")/.."

PARTS=${PARTS:-"replay catchup live cluster soak"}
SCALES=${SCALES:-"1 10 100"}
LAYOUTS=${LAYOUTS:-"default merged"}
LIVE_SCALES=${LIVE_SCALES:-"1 10"}
FAST_SPEEDUPS=${FAST_SPEEDUPS:-"10 50 100"}
source scripts/bench-lib.sh
SOAK_MINUTES=${SOAK_MINUTES:-10}
QUERY_DEFAULT_UP_TO=${QUERY_DEFAULT_UP_TO:-10}
THIN=${THIN:-target/dsc650-thin.jar}
bench_build
bench_workdir bench-scale

has() { [[ " $PARTS " == *" $1 "* ]]; }
lag_p99() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["lag_ms"]["p99"])' "$1"; }
# the validation phase's time, from stream-data's -v log (INFO: not a figure it writes as JSON)
validated_ms() { grep -o 'validated every file in [0-9]* ms' "$1" | grep -o '[0-9]*' || echo "?"; }

echo "$(nproc) CPUs, $(free -g | awk '/Mem:/ {print $2}') GiB; $(java -version 2>&1 | head -1)"

if has replay; then
  echo
  echo "== stream-data --max-speed (fresh results folder each run)"
  for scale in $SCALES; do
    for layout in $LAYOUTS; do
      r="$work/replay-$scale-$layout"
      timed java -jar "$JAR" stream-data -v --max-speed --scale "$scale" \
          $(layout_flags "$layout") --results "$r" > "$work/out" 2>&1
      validated=$(validated_ms "$work/out")
      files=$(find "$r/input" -name '*.parquet' | wc -l)
      printf "scale %3d %-7s: %6.1f s wall, peak RSS %5d MiB, validation %s ms, %d files, %s\n" "$scale" "$layout" \
          "$wall" "$rss_mib" "$validated" "$files" "$(du -sh "$r/input" | cut -f1)"
      rm -rf "$r"
    done
  done
  echo
  echo "== publish lag p99 (replay.json), merged layout: 1x, then each of FAST_SPEEDUPS"
  for scale in $SCALES; do
    line="scale $scale:"
    for x in 1 $FAST_SPEEDUPS; do
      r="$work/lag-$scale-$x"
      timed java -jar "$JAR" stream-data --speedup "$x" --scale "$scale" --merge-slices --results "$r" > /dev/null 2>&1
      line="$line  ${x}x p99 $(lag_p99 "$r/replay.json") ms (RSS $rss_mib MiB)"
      rm -rf "$r"
    done
    echo "$line"
  done
fi

if has catchup; then
  echo
  echo "== run-query all --trigger available-now over each replayed scale"
  for scale in $SCALES; do
    for layout in $LAYOUTS; do
      if [ "$layout" = default ] && [ "$scale" -gt "$QUERY_DEFAULT_UP_TO" ]; then continue; fi
      r="$work/catchup-$scale-$layout"
      java -jar "$JAR" stream-data --max-speed --scale "$scale" $(layout_flags "$layout") --results "$r" > /dev/null 2>&1
      rows=$(json_field "$r/replay.json" rows)
      timed java -jar "$JAR" run-query all --trigger available-now \
          --results "$r" > "$work/out" 2>&1 || { echo "scale $scale $layout: run-query failed"; tail -5 "$work/out"; }
      after=$(query_seconds "$r" 2>/dev/null || echo 0)
      printf "scale %3d %-7s: %6.1f s after the session started (%.1f s wall), %s rows, %.0f rows/s, peak RSS %d MiB\n" \
          "$scale" "$layout" "$after" "$wall" "$rows" "$(echo "$rows / ($after + 0.001)" | bc -l)" "$rss_mib"
      rm -rf "$r"
    done
  done
fi

# live RUN-QUERY-COMMAND...: replay at 1x with the command beside it, then the latency per query
live() {
  local r=$1 scale=$2 layout=$3
  shift 3
  mkdir -p "$r"
  start_replay "$r" "$work/replay.log" --scale "$scale" $(layout_flags "$layout")
  timed "$@" run-query all --until-replay-complete --results "$r" \
      > "$work/out" 2>&1 || { echo "run-query failed:"; tail -5 "$work/out"; }
  wait "$replayer" || true
  echo "scale $scale $layout (peak RSS of the driver $rss_mib MiB):"
  live_latency "$r" | grep "after its first batch"
}

if has live; then
  echo
  echo "== live at 1x in local[*]: latency = commit of the batch that read a slice - the slice's due instant"
  for scale in $LIVE_SCALES; do
    for layout in $LAYOUTS; do
      live "$work/live-$scale-$layout" "$scale" "$layout" java -jar "$JAR"
      rm -rf "$work/live-$scale-$layout"
    done
  done
fi

if has cluster; then
  echo
  echo "== live at 1x on the local standalone cluster, two workers of one core (client mode)"
  [ -f "$THIN" ] || mvn -B -q -ntp package -DskipTests
  WORKERS=2 WORKER_CORES=1 scripts/cluster.sh start > /dev/null
  for scale in $LIVE_SCALES; do
    live "$work/cluster-$scale" "$scale" merged scripts/spark-submit --master spark://127.0.0.1:7077 \
        --class edu.dsc650.cli.Dsc650 "$THIN"
    rm -rf "$work/cluster-$scale"
  done
  scripts/cluster.sh stop > /dev/null
fi

if has soak; then
  echo
  echo "== soak: run-query all beside stream-data --loop 0 --speedup 10 for $SOAK_MINUTES minutes"
  r="$work/soak"
  mkdir -p "$r"
  start_replay "$r" "$work/replay.log" --loop 0 --speedup 10 --merge-slices
  java -jar "$JAR" run-query all --results "$r" > "$work/out" 2>&1 &
  query=$!
  echo "minute  run-query RSS  stream-data RSS  state rows (windowed, joined)  input on disk"
  end=$(( $(date +%s) + SOAK_MINUTES * 60 ))
  while [ "$(date +%s)" -lt "$end" ]; do
    sleep 30
    elapsed=$(python3 -c "print(f'{($(date +%s) - $end + $SOAK_MINUTES * 60) / 60:5.1f}')")
    rss_q=$(( $(awk '/VmRSS/ {print $2}' "/proc/$query/status") / 1024 ))
    rss_r=$(( $(awk '/VmRSS/ {print $2}' "/proc/$replayer/status") / 1024 ))
    state=$(python3 - "$r" <<'PY'
import glob, json, os, sys
out = []
for q in ("windowed", "joined"):
    files = sorted(glob.glob(os.path.join(sys.argv[1], "progress", q, "*.jsonl")), key=os.path.getmtime)
    rows = "?"
    for line in reversed(open(files[-1]).read().splitlines() if files else []):
        try:
            ops = json.loads(line).get("stateOperators", [])
        except ValueError:
            continue  # a line being written
        rows = sum(o.get("numRowsTotal", 0) for o in ops)
        break
    out.append(str(rows))
print(", ".join(out))
PY
) || state="?, ?"
    printf "%s  %9d MiB  %11d MiB  %-29s  %s\n" "$elapsed" "$rss_q" "$rss_r" "$state" "$(du -sh "$r/input" | cut -f1)"
  done
  kill -TERM $replayer; wait $replayer || true
  kill -TERM $query; wait $query || true
  echo "latency per minute of the run:"
  python3 scripts/batch-latency.py "$r" --by-minute | grep -v "all slices"
fi
