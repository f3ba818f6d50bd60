# Shared by the scripts that start background JVMs (cluster.sh, hdfs.sh, spark-submit). Sourced.

# Java 17 closes the JDK internals that Spark and Hadoop reach into; these are the entries of
# Spark's own launcher (JavaModuleOptions), also in dsc650.jar's manifest.
JAVA_OPENS=(
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED
)
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java

# classpath_of NAME STATE: the class path of scripts/NAME/pom.xml (a daemon's jars, kept apart from the
# application's), resolved by Maven on first use and again when the pom changes; cached in STATE/classpath.
classpath_of() {
  local name=$1 state=$2
  local file="$state/classpath"
  if [ ! -f "$file" ] || [ "$ROOT/scripts/$name/pom.xml" -nt "$file" ]; then
    echo "resolving the jars of scripts/$name (mvn -f scripts/$name/pom.xml dependency:build-classpath)" >&2
    mkdir -p "$state"
    mvn -B -q -ntp -f "$ROOT/scripts/$name/pom.xml" dependency:build-classpath -Dmdep.outputFile="$file" >&2
  fi
  cat "$file"
}

# start_daemon NAME PIDDIR LOGDIR CMD...: runs CMD in the background, its pid in PIDDIR/NAME.pid.
start_daemon() {
  local name=$1 piddir=$2 logdir=$3
  shift 3
  mkdir -p "$piddir" "$logdir"
  if is_running "$piddir/$name.pid"; then
    echo "$name is already running (pid $(cat "$piddir/$name.pid"))"
    return 0
  fi
  nohup "$@" >"$logdir/$name.log" 2>&1 </dev/null &
  echo $! >"$piddir/$name.pid"
  echo "started $name (pid $!), log $logdir/$name.log"
}

# is_running PIDFILE: true if the pid file names a live process that is one of ours (a JVM whose
# command line holds this repository's target/ folder), so that a reused pid is never taken for it.
is_running() {
  local pidfile=$1 pid
  [ -f "$pidfile" ] || return 1
  pid=$(cat "$pidfile")
  [ -r "/proc/$pid/cmdline" ] || return 1
  local cmdline
  cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  [[ $cmdline == *"$ROOT/target/"* ]]
}

# stop_daemon NAME PIDDIR: SIGTERM, then SIGKILL after 15 s; only a process is_running recognises.
stop_daemon() {
  local name=$1 piddir=$2 pid i
  local pidfile="$piddir/$name.pid"
  if ! is_running "$pidfile"; then
    rm -f "$pidfile"
    return 0
  fi
  pid=$(cat "$pidfile")
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 150); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
  echo "stopped $name (pid $pid)"
}

# report_daemon NAME PIDDIR: prints whether it runs; false if it does not.
report_daemon() {
  local name=$1 pidfile="$2/$1.pid"
  if is_running "$pidfile"; then
    echo "$name: running (pid $(cat "$pidfile"))"
  else
    echo "$name: not running"
    return 1
  fi
}

# wait_for SECONDS DESCRIPTION COMMAND...: polls COMMAND until it succeeds, or fails after SECONDS.
wait_for() {
  local seconds=$1 what=$2 i
  shift 2
  for i in $(seq 1 $((seconds * 4))); do
    if "$@" >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.25
  done
  echo "error: $what not ready after ${seconds} s" >&2
  return 1
}
