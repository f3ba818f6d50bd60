#!/usr/bin/env bash
# A single-node HDFS (one NameNode, one DataNode, on 127.0.0.1) from Maven's Hadoop jars at the
# version Spark 3.5 uses (scripts/hdfs/pom.xml), for trying --results hdfs://... on one machine.
#
#   scripts/hdfs.sh start     format on first start, start NameNode + DataNode, wait until writable
#   scripts/hdfs.sh status    what runs, live DataNodes, safe mode
#   scripts/hdfs.sh stop      stop what start started (pid files), nothing else
#   scripts/hdfs.sh url       print the file system's URI (hdfs://127.0.0.1:<port>)
#   scripts/hdfs.sh wipe      stop, then delete its storage (target/hdfs/name, data)
#
# Settings (environment): HDFS_PORT (9000), HDFS_HTTP_PORT (9870), HDFS_DATANODE_PORT (9866),
# HDFS_DATANODE_HTTP_PORT (9864), HDFS_DATANODE_IPC_PORT (9867).
# State, pid files and logs (the daemons', and the NameNode's audit log of every operation):
# target/hdfs/. Permissions are off: it is a scratch file system.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/scripts/lib.sh"

HOST=127.0.0.1
HDFS_PORT=${HDFS_PORT:-9000}
HDFS_HTTP_PORT=${HDFS_HTTP_PORT:-9870}
HDFS_DATANODE_PORT=${HDFS_DATANODE_PORT:-9866}
HDFS_DATANODE_HTTP_PORT=${HDFS_DATANODE_HTTP_PORT:-9864}
HDFS_DATANODE_IPC_PORT=${HDFS_DATANODE_IPC_PORT:-9867}
STATE="$ROOT/target/hdfs"
CONF="$STATE/conf"
URL="hdfs://$HOST:$HDFS_PORT"

classpath() {
  classpath_of hdfs "$STATE"
}

write_conf() {
  mkdir -p "$CONF"
  # The daemons' HTTP servers look for their web apps on the class path; a distribution ships them
  # as folders, the Maven jars do not. Empty ones are enough for the JMX and REST endpoints.
  mkdir -p "$CONF/webapps/hdfs" "$CONF/webapps/datanode" "$CONF/webapps/static"
  cat >"$CONF/core-site.xml" <<XML
<configuration>
  <property><name>fs.defaultFS</name><value>$URL</value></property>
  <property><name>hadoop.tmp.dir</name><value>$STATE/tmp</value></property>
</configuration>
XML
  cat >"$CONF/hdfs-site.xml" <<XML
<configuration>
  <property><name>dfs.namenode.name.dir</name><value>file://$STATE/name</value></property>
  <property><name>dfs.datanode.data.dir</name><value>file://$STATE/data</value></property>
  <property><name>dfs.replication</name><value>1</value></property>
  <property><name>dfs.permissions.enabled</name><value>false</value></property>
  <property><name>dfs.namenode.rpc-address</name><value>$HOST:$HDFS_PORT</value></property>
  <property><name>dfs.namenode.http-address</name><value>$HOST:$HDFS_HTTP_PORT</value></property>
  <property><name>dfs.datanode.address</name><value>$HOST:$HDFS_DATANODE_PORT</value></property>
  <property><name>dfs.datanode.http.address</name><value>$HOST:$HDFS_DATANODE_HTTP_PORT</value></property>
  <property><name>dfs.datanode.ipc.address</name><value>$HOST:$HDFS_DATANODE_IPC_PORT</value></property>
  <property><name>dfs.datanode.hostname</name><value>$HOST</value></property>
  <!-- one DataNode: leave safe mode as soon as it reports, keep no reserved space -->
  <property><name>dfs.namenode.safemode.extension</name><value>0</value></property>
  <property><name>dfs.namenode.safemode.min.datanodes</name><value>1</value></property>
  <property><name>dfs.datanode.du.reserved</name><value>0</value></property>
  <property><name>dfs.namenode.heartbeat.recheck-interval</name><value>10000</value></property>
</configuration>
XML
  cat >"$CONF/log4j.properties" <<'PROPS'
log4j.rootLogger=INFO, console
log4j.appender.console=org.apache.log4j.ConsoleAppender
log4j.appender.console.layout=org.apache.log4j.PatternLayout
log4j.appender.console.layout.ConversionPattern=%d{HH:mm:ss.SSS} %p %c{1}: %m%n
log4j.logger.org.apache.hadoop.hdfs.StateChange=WARN
log4j.logger.BlockStateChange=WARN
# every namespace operation (create, rename, delete...) with its paths, one line each
log4j.logger.org.apache.hadoop.hdfs.server.namenode.FSNamesystem.audit=INFO, audit
log4j.additivity.org.apache.hadoop.hdfs.server.namenode.FSNamesystem.audit=false
log4j.appender.audit=org.apache.log4j.FileAppender
log4j.appender.audit.File=${hadoop.log.dir}/hdfs-audit.log
log4j.appender.audit.layout=org.apache.log4j.PatternLayout
log4j.appender.audit.layout.ConversionPattern=%d{HH:mm:ss.SSS} %m%n
PROPS
}

# namenode_jmx BEAN: one of the NameNode's JMX beans, as JSON
namenode_jmx() {
  curl -sf "http://$HOST:$HDFS_HTTP_PORT/jmx?qry=Hadoop:service=NameNode,name=$1"
}

# ready: a live DataNode, and out of safe mode (writes are refused in it). Each answer is read
# whole before it is searched: with pipefail, `curl | grep -q` fails now and then although grep
# matched (grep exits at its match, and curl's next write gets a broken pipe).
ready() {
  local state info
  state=$(namenode_jmx FSNamesystemState) || return 1
  info=$(namenode_jmx NameNodeInfo) || return 1
  grep -q '"NumLiveDataNodes" : [1-9]' <<<"$state" && grep -q '"Safemode" : ""' <<<"$info"
}

# ends the wait early when a daemon has died
ready_or_dead() {
  ready || ! is_running "$STATE/namenode.pid" || ! is_running "$STATE/datanode.pid"
}

start() {
  write_conf
  local cp
  cp="$CONF:$(classpath)"
  if [ ! -d "$STATE/name/current" ]; then
    echo "formatting $STATE/name"
    "$JAVA" "${JAVA_OPENS[@]}" -Xmx256m -cp "$cp" org.apache.hadoop.hdfs.server.namenode.NameNode \
        -format -nonInteractive -force >"$STATE/format.log" 2>&1 \
      || { echo "error: formatting failed, see $STATE/format.log" >&2; exit 1; }
  fi
  start_daemon namenode "$STATE" "$STATE/logs" "$JAVA" "${JAVA_OPENS[@]}" -Xmx512m -Dhadoop.log.dir="$STATE/logs" -cp "$cp" \
      org.apache.hadoop.hdfs.server.namenode.NameNode
  start_daemon datanode "$STATE" "$STATE/logs" "$JAVA" "${JAVA_OPENS[@]}" -Xmx512m -cp "$cp" \
      org.apache.hadoop.hdfs.server.datanode.DataNode
  wait_for 90 "HDFS (a live DataNode, out of safe mode)" ready_or_dead
  if ! ready; then
    echo "error: HDFS did not start; see $STATE/logs/namenode.log and datanode.log" >&2
    stop
    exit 1
  fi
  echo "HDFS up: $URL (NameNode UI http://$HOST:$HDFS_HTTP_PORT)"
}

stop() {
  stop_daemon datanode "$STATE"
  stop_daemon namenode "$STATE"
}

status() {
  local rc=0 name
  for name in namenode datanode; do
    report_daemon "$name" "$STATE" || rc=3
  done
  if ready; then
    echo "HDFS $URL: ready"
  else
    echo "HDFS $URL: not ready"
    rc=3
  fi
  return $rc
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  url) echo "$URL" ;;
  wipe) stop; rm -rf "$STATE/name" "$STATE/data" "$STATE/tmp" ;;
  *) echo "usage: $0 start|stop|status|url|wipe" >&2; exit 2 ;;
esac
