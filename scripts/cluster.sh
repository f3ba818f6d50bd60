#!/usr/bin/env bash
# A local Spark standalone cluster (one master, one or more workers, all on 127.0.0.1) started from
# the Spark jars Maven resolved: there is no Spark distribution to install on these machines.
#
#   scripts/cluster.sh start     assemble target/spark-home/jars if needed, start master + workers
#   scripts/cluster.sh status    what runs, and the master's view (workers, applications)
#   scripts/cluster.sh stop      stop what start started (pid files), nothing else
#   scripts/cluster.sh jars      only assemble target/spark-home/jars (used by scripts/spark-submit)
#
# Security: a shared secret per start (spark.authenticate) and no kill links in the UIs, both in
# target/spark-home/conf/spark-defaults.conf, which scripts/spark-submit reads too.
# Settings (environment): WORKERS (1), WORKER_CORES (2), WORKER_MEMORY (4g), MASTER_PORT (7077),
# MASTER_WEBUI_PORT (8080), WORKER_WEBUI_PORT (8081, then +1 per worker).
# Pid files and logs: target/cluster/; executors' logs: target/cluster/work-<n>/<app>/<executor>/.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/scripts/lib.sh"

WORKERS=${WORKERS:-1}
WORKER_CORES=${WORKER_CORES:-2}
WORKER_MEMORY=${WORKER_MEMORY:-4g}
MASTER_PORT=${MASTER_PORT:-7077}
MASTER_WEBUI_PORT=${MASTER_WEBUI_PORT:-8080}
WORKER_WEBUI_PORT=${WORKER_WEBUI_PORT:-8081}
HOST=127.0.0.1

export SPARK_HOME="$ROOT/target/spark-home"
export SPARK_SCALA_VERSION=2.12     # the worker's launcher needs it without a distribution's RELEASE file
export SPARK_LOCAL_IP=$HOST
STATE="$ROOT/target/cluster"
MASTER_URL="spark://$HOST:$MASTER_PORT"

# $SPARK_HOME/jars is what a distribution has and what a worker puts on its executors' class path.
assemble_jars() {
  if [ -d "$SPARK_HOME/jars" ] && [ "$SPARK_HOME/jars" -nt "$ROOT/pom.xml" ]; then
    return 0
  fi
  echo "assembling $SPARK_HOME/jars (mvn dependency:copy-dependencies)"
  rm -rf "$SPARK_HOME/jars"
  # Spark's Kafka connector is not in a distribution's jars/: it travels in dsc650-thin.jar
  (cd "$ROOT" && mvn -B -q -ntp dependency:copy-dependencies -DincludeScope=runtime \
      -DexcludeArtifactIds=spark-sql-kafka-0-10_2.12,spark-token-provider-kafka-0-10_2.12,kafka-clients,commons-pool2 \
      -DoutputDirectory="$SPARK_HOME/jars")
  mkdir -p "$SPARK_HOME/conf"
  touch "$SPARK_HOME/jars"
}

master_json() {
  curl -sf "http://$HOST:$MASTER_WEBUI_PORT/json/"
}

alive_workers() {
  master_json | grep -o '"aliveworkers" *: *[0-9]*' | grep -o '[0-9]*$'
}

all_workers_alive() {
  [ "$(alive_workers)" = "$WORKERS" ]
}

# The cluster's shared secret (spark.authenticate) and its UIs without kill links, in
# $SPARK_HOME/conf/spark-defaults.conf (mode 600): the master, the workers and scripts/spark-submit
# read it, and the workers hand the secret to their executors. An application without it (another
# user's, or java -jar without -Dspark.authenticate.secret=...) cannot join. A new secret per start.
write_defaults() {
  mkdir -p "$SPARK_HOME/conf"
  local defaults="$SPARK_HOME/conf/spark-defaults.conf"
  # a master that runs already keeps the secret it started with (a start may add workers)
  if [ -f "$defaults" ] && [ -f "$STATE/master.pid" ] && kill -0 "$(cat "$STATE/master.pid")" 2>/dev/null; then
    return 0
  fi
  (umask 077; {
    echo "spark.authenticate true"
    echo "spark.authenticate.secret $(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    echo "spark.ui.killEnabled false"
  } > "$defaults")
}

start() {
  assemble_jars
  write_defaults
  local cp="$SPARK_HOME/conf:$SPARK_HOME/jars/*"
  start_daemon master "$STATE" "$STATE" "$JAVA" "${JAVA_OPENS[@]}" -Xmx512m -cp "$cp" \
      org.apache.spark.deploy.master.Master --host $HOST --port "$MASTER_PORT" --webui-port "$MASTER_WEBUI_PORT"
  wait_for 60 "the master's web UI" master_json
  for n in $(seq 1 "$WORKERS"); do
    mkdir -p "$STATE/work-$n"
    start_daemon "worker-$n" "$STATE" "$STATE" "$JAVA" "${JAVA_OPENS[@]}" -Xmx512m -cp "$cp" \
        org.apache.spark.deploy.worker.Worker --host $HOST --cores "$WORKER_CORES" --memory "$WORKER_MEMORY" \
        --webui-port $((WORKER_WEBUI_PORT + n - 1)) --work-dir "$STATE/work-$n" "$MASTER_URL"
  done
  wait_for 60 "$WORKERS worker(s) registered with the master" all_workers_alive
  echo "cluster up: master $MASTER_URL, UI http://$HOST:$MASTER_WEBUI_PORT, $WORKERS worker(s)"
}

stop() {
  # every worker with a pid file, also those of a start with a larger WORKERS setting
  for pidfile in "$STATE"/worker-*.pid; do
    [ -e "$pidfile" ] && stop_daemon "$(basename "$pidfile" .pid)" "$STATE"
  done
  stop_daemon master "$STATE"
}

status() {
  local rc=0
  for pidfile in "$STATE"/master.pid "$STATE"/worker-*.pid; do
    [ -e "$pidfile" ] || continue
    report_daemon "$(basename "$pidfile" .pid)" "$STATE" || rc=3
  done
  if master_json >/dev/null 2>&1; then
    echo "master $MASTER_URL: $(alive_workers) alive worker(s), UI http://$HOST:$MASTER_WEBUI_PORT"
  else
    echo "master $MASTER_URL: not answering"
    rc=3
  fi
  return $rc
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  jars) assemble_jars ;;
  *) echo "usage: $0 start|stop|status|jars" >&2; exit 2 ;;
esac
