#!/usr/bin/env bash
# A single-node Kafka broker (KRaft: broker and controller in one process, no ZooKeeper) from Maven
# Central's jars (scripts/kafka/pom.xml, apart from the application's class path), for
# `stream-data --to kafka://127.0.0.1:9092` and `run-query --from kafka://127.0.0.1:9092`.
#
#   scripts/kafka.sh start          format the storage on first start, start the broker, wait until it serves
#   scripts/kafka.sh status         whether it runs and serves
#   scripts/kafka.sh stop           stop what start started (pid file), nothing else
#   scripts/kafka.sh url            print the address for --to / --from (kafka://127.0.0.1:<port>)
#   scripts/kafka.sh consume TOPIC  print the topic's committed records (key, then value), then exit
#   scripts/kafka.sh wipe           stop, then delete its storage
#
# Settings (environment): KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), KAFKA_HEAP (512m),
# KAFKA_STATE (target/kafka: state, pid file and logs; a second broker needs its own, and ports).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/scripts/lib.sh"

HOST=127.0.0.1
KAFKA_PORT=${KAFKA_PORT:-9092}
KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-9093}
KAFKA_HEAP=${KAFKA_HEAP:-512m}
STATE=${KAFKA_STATE:-$ROOT/target/kafka}
mkdir -p "$STATE" && STATE=$(cd "$STATE" && pwd)
CONF="$STATE/conf"
BOOTSTRAP="$HOST:$KAFKA_PORT"

classpath() {
  classpath_of kafka "$STATE"
}

write_conf() {
  mkdir -p "$CONF"
  cat >"$CONF/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$KAFKA_PORT,CONTROLLER://$HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$BOOTSTRAP
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$STATE/data
num.partitions=1
# one broker: every internal topic has one replica
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=4
group.initial.rebalance.delay.ms=0
# a replay recreates its topics at every start
delete.topic.enable=true
auto.create.topics.enable=false
PROPS
  cat >"$CONF/log4j.properties" <<'PROPS'
log4j.rootLogger=INFO, console
log4j.appender.console=org.apache.log4j.ConsoleAppender
log4j.appender.console.layout=org.apache.log4j.PatternLayout
log4j.appender.console.layout.ConversionPattern=%d{HH:mm:ss.SSS} %p %c{1}: %m%n
log4j.logger.kafka=INFO
log4j.logger.org.apache.kafka=INFO
log4j.logger.kafka.log.LogCleaner=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.request.logger=WARN
PROPS
  cat >"$CONF/tools-log4j.properties" <<'PROPS'
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=%p %c{1}: %m%n
PROPS
}

# serves: the port accepts connections and the broker has said it started (since this start)
serves() {
  (exec 3<>"/dev/tcp/$HOST/$KAFKA_PORT") 2>/dev/null \
    && grep -q "Kafka Server started" "$STATE/logs/kafka.log" 2>/dev/null
}

serves_or_dead() {
  serves || ! is_running "$STATE/kafka.pid"
}

start() {
  write_conf
  local cp
  cp="$(classpath)"
  if is_running "$STATE/kafka.pid"; then
    echo "kafka is already running (pid $(cat "$STATE/kafka.pid")): $BOOTSTRAP"
    return 0
  fi
  if [ ! -f "$STATE/data/meta.properties" ]; then
    echo "formatting $STATE/data"
    local id
    id=$("$JAVA" -cp "$cp" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)
    "$JAVA" -Dlog4j.configuration="file:$CONF/tools-log4j.properties" -cp "$cp" kafka.tools.StorageTool format \
        -t "$id" -c "$CONF/server.properties" >"$STATE/format.log" 2>&1 \
      || { echo "error: formatting failed, see $STATE/format.log" >&2; exit 1; }
  fi
  start_daemon kafka "$STATE" "$STATE/logs" "$JAVA" -Xmx"$KAFKA_HEAP" -Xms"$KAFKA_HEAP" \
      -Dlog4j.configuration="file:$CONF/log4j.properties" -Dkafka.logs.dir="$STATE/logs" \
      -cp "$cp" kafka.Kafka "$CONF/server.properties"
  wait_for 90 "Kafka at $BOOTSTRAP" serves_or_dead
  if ! serves; then
    echo "error: Kafka did not start; see $STATE/logs/kafka.log" >&2
    stop
    exit 1
  fi
  echo "Kafka up: kafka://$BOOTSTRAP"
}

stop() {
  stop_daemon kafka "$STATE"
}

status() {
  local rc=0
  report_daemon kafka "$STATE" || rc=3
  if serves; then
    echo "Kafka kafka://$BOOTSTRAP: serving"
  else
    echo "Kafka kafka://$BOOTSTRAP: not serving"
    rc=3
  fi
  return $rc
}

# consume TOPIC: every committed record (read_committed), key and value, until none comes for 5 s
consume() {
  local topic=${1:?usage: $0 consume TOPIC}
  write_conf
  "$JAVA" -Dlog4j.configuration="file:$CONF/tools-log4j.properties" -cp "$(classpath)" \
      org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server "$BOOTSTRAP" --topic "$topic" \
      --from-beginning --isolation-level read_committed --timeout-ms 5000 \
      --property print.key=true --property key.separator=$'\t' 2> >(grep -v TimeoutException >&2) || true
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  url) echo "kafka://$BOOTSTRAP" ;;
  consume) shift; consume "$@" ;;
  wipe) stop; rm -rf "$STATE/data" ;;
  *) echo "usage: $0 start|stop|status|url|consume TOPIC|wipe" >&2; exit 2 ;;
esac
