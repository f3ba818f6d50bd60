#!/usr/bin/env bash
# Makes the screenshots of the report (src/site/report-screenshot.png) and of the live page
# (src/site/live-screenshot.png, as it stands at the end of the run) from the bundled data: the demo
# (replay at 2.5x with all three queries), its report, report --serve, then headless Chromium.
#   scripts/report-screenshot.sh           # needs Debian's chromium (apt-get install chromium)
set -euo pipefail
cd "$(dirname "$0")/.."

RESULTS=${RESULTS:-$(mktemp -d "${TMPDIR:-/tmp}/report-screenshot.XXXXXX")}
OUT=${OUT:-src/site/report-screenshot.png}
LIVE_OUT=${LIVE_OUT:-src/site/live-screenshot.png}
command -v chromium >/dev/null || { echo "chromium is not installed (apt-get install chromium)" >&2; exit 2; }

RESULTS="$RESULTS" LIVE=0 bash scripts/demo.sh
page="$RESULTS/report/index.html"
profile=$(mktemp -d "${TMPDIR:-/tmp}/chromium-profile.XXXXXX")
trap 'rm -rf "$profile"' EXIT
mkdir -p "$(dirname "$OUT")"
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$profile" --hide-scrollbars \
  --virtual-time-budget=15000 --window-size=1280,2400 --screenshot="$(realpath -m "$OUT")" "file://$(realpath "$page")" \
  > /dev/null 2>&1
# how long the page takes to draw, in a real (headless) browser: navigation start to the last chart
ms=$(chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$profile" --dump-dom "file://$(realpath "$page")" \
  2>/dev/null | grep -o 'data-render-ms="[0-9]*"' | grep -o '[0-9]*' || echo "?")
echo "page drawn in $ms ms (navigation start to the last chart)"
echo "screenshot: $OUT ($(du -k "$OUT" | cut -f1) KB), page: file://$(realpath "$page") ($(du -k "$page" | cut -f1) KB)"

# the live page: it holds what there is when it is served and draws it at once
java -jar target/dsc650.jar report --serve --port 0 --results "$RESULTS" > "$profile/serve.log" 2>&1 &
serve=$!
trap 'kill $serve 2>/dev/null || true; rm -rf "$profile"' EXIT
until grep -q '^live page:' "$profile/serve.log" || ! kill -0 $serve 2>/dev/null; do sleep 0.1; done
address=$(grep -m1 -o 'http://[^ ]*' "$profile/serve.log")
chromium --headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$profile/live" --hide-scrollbars \
  --window-size=1280,2000 --screenshot="$(realpath -m "$LIVE_OUT")" "$address" > /dev/null 2>&1
echo "screenshot: $LIVE_OUT ($(du -k "$LIVE_OUT" | cut -f1) KB) of $address"
