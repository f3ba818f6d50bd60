# Shared by the bench scripts (sourced): the jar, a work folder, timing, a replay in the background
# that is watched, and the figures run-query and stream-data write as JSON.

JAR=${JAR:-target/dsc650.jar}   # another build to compare: JAR=/tmp/before.jar

# bench_build: builds target/dsc650.jar unless $JAR exists.
bench_build() {
  [ -f "$JAR" ] || mvn -B -q -ntp package -DskipTests
}

# bench_workdir NAME: a fresh folder in $work, removed on exit unless KEEP is set.
bench_workdir() {
  work=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
  if [ -n "${KEEP:-}" ]; then
    echo "work folder kept: $work"
  else
    trap 'rm -rf "$work"' EXIT
  fi
}

# timed CMD...: runs CMD; afterwards $wall (s) and $rss_mib (peak RSS) say what it took.
timed() {
  local status=0
  /usr/bin/time -f "%e %M" -o "$work/.time" "$@" || status=$?
  read -r wall rss_kb < "$work/.time"
  rss_mib=$((rss_kb / 1024))
  return $status
}

# layout_flags LAYOUT: stream-data's flags for "default" or "merged".
layout_flags() {
  [ "$1" = merged ] && echo "--merge-slices" || true
}

# start_replay RESULTS LOG ARGS...: stream-data in the background ($replayer: its pid); returns once
# its replay.json exists, or fails (with the log's end) if it exits first, e.g. on bad input.
start_replay() {
  local results=$1 log=$2
  shift 2
  java -jar "$JAR" stream-data --results "$results" "$@" > "$log" 2>&1 &
  replayer=$!
  until [ -f "$results/replay.json" ]; do
    if ! kill -0 "$replayer" 2>/dev/null; then
      echo "stream-data exited before it started replaying:" >&2
      tail -3 "$log" >&2
      return 1
    fi
    sleep 0.1
  done
}

# json_field FILE FIELD: a top-level field of a JSON file (replay.json, progress/run-query.json).
json_field() {
  python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"
}

# query_seconds RESULTS: seconds from the SparkSession's start to the queries' stop, from run-query's JSON.
query_seconds() {
  printf "%.1f" "$(json_field "$1/progress/run-query.json" seconds_after_session_start)"
}

# live_latency RESULTS [ARGS]: each slice's latency, due to batch commit, per query (batch-latency.py).
live_latency() {
  python3 scripts/batch-latency.py "$@"
}

# sample_cpu PID: "EPOCH_SECONDS CPU_TICKS FORKS JIT_TICKS" every 0.5 s while it runs: utime +
# stime of the process, the processes started on the machine since it booted (/proc/stat), and
# utime + stime of the JVM's JIT compiler threads (/proc/PID/task/*/stat; a compiler thread that
# HotSpot has ended takes its count with it, so at least this much). Shell builtins only, no
# process of its own after the first (the sleep's pipe): FORKS counts the others' processes.
sample_cpu() {
  [ -n "$1" ] || return 0
  local pid=$1 line thread fields key value cpu jit forks sleeper
  exec {sleeper}<> <(:) # read -t on this pipe sleeps without starting a process
  while read -r line 2>/dev/null < "/proc/$pid/stat"; do
    # the fields after the command's name, which is in brackets and may hold spaces
    read -ra fields <<< "${line##*) }"
    cpu=$(( fields[11] + fields[12] ))
    jit=0
    for thread in /proc/"$pid"/task/*/stat; do
      # a thread may end between the listing and the read: those it could read still count
      read -r line 2>/dev/null < "$thread" || continue
      [[ $line == *CompilerThre* ]] || continue
      read -ra fields <<< "${line##*) }"
      jit=$(( jit + fields[11] + fields[12] ))
    done
    forks=0
    while read -r key value _; do
      if [[ $key == processes ]]; then forks=$value; break; fi
    done < /proc/stat
    printf '%s %d %d %d\n' "$EPOCHREALTIME" "$cpu" "$forks" "$jit"
    read -r -t 0.5 -u "$sleeper" _ || true
  done
  exec {sleeper}<&-
}
