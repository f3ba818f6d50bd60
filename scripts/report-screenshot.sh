#!/usr/bin/env bash
# Makes the README's screenshot of the report (src/site/report-screenshot.png) from the bundled data:
# the demo (replay at 2.5x with all three queries), its report, then headless Chromium.
#   scripts/report-screenshot.sh           # needs Debian's chromium (apt-get install chromium)
set -euo pipefail
cd "$(dirname "$0")/.."

RESULTS=${RESULTS:-$(mktemp -d "${TMPDIR:-/tmp}/report-screenshot.XXXXXX")}
OUT=${OUT:-src/site/report-screenshot.png}
command -v chromium >/dev/null || { echo "chromium is not installed (apt-get install chromium)" >&2; exit 2; }

RESULTS="$RESULTS" bash scripts/demo.sh
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
