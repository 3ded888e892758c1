#!/usr/bin/env bash
# Browser test of dctwin's HTML reports, run by ctest (tests/CMakeLists.txt: browser_report).
#   bash tests/browser/run.sh DCTWIN_BINARY ARTIFACT_DIR
# Makes a 20-minute run of the default campus under a hostile scenario name (one grid event and a
# ride-through map in its folder), adds a compliance.json (dctwin comply --mitigate on
# tests/data/tiny.json) to its folder, writes the three
# report kinds and a PDF, a comparison of that run with a shorter one and of a whatif folder's cases
# (dctwin compare), then opens each report in headless Chromium from file:// (report_test.mjs).
# Exit 77 (ctest SKIP_RETURN_CODE) with the reason when a piece is missing: Debian's chromium,
# node, viz/node_modules (npm ci --prefix viz) or a dctwin built with ECharts.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$(cd "$here/../.." && pwd)"
dctwin="${1:?usage: run.sh DCTWIN_BINARY ARTIFACT_DIR}"
art="${2:?usage: run.sh DCTWIN_BINARY ARTIFACT_DIR}"
skip() { echo "skipped: $*"; exit 77; }

chromium="${DCTWIN_CHROMIUM:-/usr/bin/chromium}"
[ -x "$chromium" ] || skip "Chromium is not installed at $chromium (apt-get install chromium; bash .ci/setup test installs it)"
command -v node >/dev/null || skip "node is not installed (apt-get install nodejs npm)"
[ -d "$src/viz/node_modules/playwright-core" ] || skip "viz/node_modules is missing (run: npm ci --prefix viz)"

rm -rf "$art"
mkdir -p "$art"
name='<script>alert(1)</script> & "quotes"'
# One grid event (a 0 V, 300 ms sag at 600 s) and the campus's ride-through map in the run folder:
# the utility report's "Grid disturbances" section draws both. One curtailment (300-500 s): the
# "Firm and flexible load" section has an event to show. A price and carbon series
# (tests/data/price-carbon-test.csv): the "Cost and emissions" section draws its four charts.
grid='grid={"events":[{"kind":"voltage_sag","at_s":600,"duration_s":0.3,"remaining_pu":0}],
 "curtailments": [{"at_s": 300, "notice_s": 120, "duration_s": 200, "reduce_pct": 20}],
 "price_carbon_file": "'"$src"'/tests/data/price-carbon-test.csv"}'
if ! "$dctwin" run -o "$art/run" --duration-s 1200 --set "name=$name" --set "$grid" > "$art/run.log" 2>&1 ||
   ! "$dctwin" ride-through -o "$art/run" --depths 4 --durations 6 >> "$art/run.log" 2>&1; then
  cat "$art/run.log"; echo "FAIL: dctwin run / ride-through"; exit 1
fi
# The utility report's compliance section reads compliance.json from the run's folder.
if ! "$dctwin" comply "$src/tests/data/tiny.json" --requirements "$src/tests/data/requirements-strict-tiny.json" --duration-s 60 \
     --mitigate --threads 2 -o "$art/run" > "$art/comply.log" 2>&1; then
  cat "$art/comply.log"; echo "FAIL: dctwin comply --mitigate"; exit 1
fi
for kind in utility cooling capacity; do
  "$dctwin" report "$art/run" --kind "$kind" -o "$art/report-$kind.html" > "$art/report-$kind.log" 2>&1
  rc=$?
  if [ $rc -eq 3 ]; then cat "$art/report-$kind.log"; skip "dctwin was built without ECharts (npm ci --prefix viz, then rebuild)"; fi
  if [ $rc -ne 0 ]; then cat "$art/report-$kind.log"; echo "FAIL: dctwin report --kind $kind (exit $rc)"; exit 1; fi
done
DCTWIN_CHROMIUM="$chromium" "$dctwin" report "$art/run" -o "$art/report-print.html" --pdf \
  --energy-usd-per-kwh 0.06 --demand-usd-per-kw-month 12 > "$art/report-pdf.log" 2>&1
rc=$?
if [ $rc -ne 0 ] || [ "$(head -c 4 "$art/report-print.pdf" 2>/dev/null)" != "%PDF" ]; then
  cat "$art/report-pdf.log"; echo "FAIL: dctwin report --pdf (exit $rc) did not write a PDF"; exit 1
fi
echo "ok: --pdf wrote $art/report-print.pdf ($(stat -c %s "$art/report-print.pdf") bytes)"
# dctwin compare: the run above against a shorter one (aligned on t_s), and a whatif folder's cases.
if ! "$dctwin" run -o "$art/run-short" --duration-s 600 --no-report --set "name=$name" > "$art/run-short.log" 2>&1 ||
   ! "$dctwin" compare "$art/run" "$art/run-short" -o "$art/compare-runs.html" > "$art/compare-runs.log" 2>&1 ||
   ! "$dctwin" whatif "$src/tests/data/tiny-cooling.json" --vary jobs.0.gpus=1,2 --duration-s 30 -o "$art/whatif" \
       > "$art/whatif.log" 2>&1 ||
   ! "$dctwin" compare "$art/whatif" -o "$art/compare-whatif.html" > "$art/compare-whatif.log" 2>&1; then
  cat "$art"/run-short.log "$art"/compare-runs.log "$art"/whatif.log "$art"/compare-whatif.log 2>/dev/null
  echo "FAIL: dctwin compare"; exit 1
fi

exec node "$here/report_test.mjs" --chromium "$chromium" --src "$src" --name "$name" --out "$art" \
  "$art/report-utility.html" "$art/report-cooling.html" "$art/report-capacity.html" "$art/report-print.html" \
  "$art/compare-runs.html" "$art/compare-whatif.html"
