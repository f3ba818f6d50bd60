#!/usr/bin/env bash
# Every test, as CI runs it (.ci/run calls this): installs what the tests need and this machine lacks,
# then `mvn -B verify` (unit tests, the command-line suites, the integration tests on the packaged jars).
#
#   scripts/test.sh [MAVEN ARGS...]     e.g. scripts/test.sh -Dit.test=KafkaIT
#
# Needs: Java 17 and Maven. Installs with apt-get (as root, or through sudo): curl (the daemon
# scripts poll their HTTP endpoints with it), chromium (ReportInBrowserIT and LivePageInBrowserIT
# draw the pages in it, headless) and util-linux's script (StatusLineOnATerminalIT runs stream-data on
# a pseudo-terminal with it; Debian's bsdutils). The Kafka broker, the Spark cluster and HDFS come from Maven Central on first use.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=""
command -v curl >/dev/null || missing="$missing curl"
command -v chromium >/dev/null || missing="$missing chromium"
command -v script >/dev/null || missing="$missing bsdutils"
if [ -n "$missing" ]; then
  sudo=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || {
      echo "error: the tests need:$missing; install them (apt-get install$missing) or run this as root" >&2
      exit 2
    }
    sudo=sudo
  fi
  echo "installing:$missing (apt-get)"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
fi

exec mvn -B -ntp verify "$@"
