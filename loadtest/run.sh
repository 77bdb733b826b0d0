#!/usr/bin/env bash
# Reproduces the server figures in README.md with one command:
#   loadtest/run.sh [HOUSEHOLDS] [SNAPSHOT_DIR]
# Builds the jars and a snapshot of HOUSEHOLDS (default 1,000,000) if missing, starts the server on the demo
# configuration, waits until the snapshot is verified and warm, then for each scenario:
#   1. closed loop (max throughput) for the scenario and for /health/live in the same run, and their ratio;
#   2. open loop at half the /health/live maximum, with latency percentiles (and an .hgrm per scenario).
# Search scenarios: list-count and list-page ("PMT 20-32 AND a random district AND a disabled member") run
# closed loop for their maximum, then open loop at half their own maximum for p99; export-ndjson streams
# province EXPORT_PROVINCE on one connection and reports rows/s.
# Environment: PORT (18080), DURATION (20s), CONNECTIONS (32), EXPORT_PROVINCE (6, Punjab),
#   SCENARIOS ("partner-lookup pos-eligibility list-count list-page export-ndjson").
set -euo pipefail
cd "$(dirname "$0")/.."
HOUSEHOLDS=${1:-1000000}
SNAP=${2:-demo-data/snapshot-$HOUSEHOLDS}
PORT=${PORT:-18080}
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-32}
SCENARIOS=${SCENARIOS:-"partner-lookup pos-eligibility list-count list-page export-ndjson"}
EXPORT_PROVINCE=${EXPORT_PROVINCE:-6}
OUT=${OUT:-loadtest/target/report-$HOUSEHOLDS}
IB=index-builder/target/nser-index-builder.jar
. loadtest/common.sh
mkdir -p "$OUT"
if [ ! -f "$SNAP/manifest.json" ]; then
  java -jar "$IB" generate --households "$HOUSEHOLDS" --seed 1 --out "$SNAP"
fi
java -jar "$IB" sample-ids "$SNAP" --count 20000 --seed 7 > "$OUT/ids.txt" 2>/dev/null
java -jar server/target/nser-server.jar --demo --snapshot "$SNAP" --port "$PORT" > "$OUT/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true' EXIT
await_ready "$PORT" "$SERVER" "$OUT/server.log"
LT="java -jar loadtest/target/nser-loadtest.jar --target http://127.0.0.1:$PORT --ids $OUT/ids.txt"
{
  echo "# $(date -u +%FT%TZ)  households=$HOUSEHOLDS  duration=$DURATION  connections=$CONNECTIONS  cores=$(nproc)"
  for s in $SCENARIOS; do
    case "$s" in
      export-ndjson)
        echo "## $s: province $EXPORT_PROVINCE streamed on one connection"
        $LT --scenario "$s" --closed --connections 1 --duration "$DURATION" --province "$EXPORT_PROVINCE"
        ;;
      list-count|list-page)
        echo "## $s: closed loop (max throughput)"
        $LT --scenario "$s" --closed --connections "$CONNECTIONS" --duration "$DURATION" | tee "$OUT/$s-closed.txt"
        MAX=$(awk -v s="$s" '$1 == s {print $3}' "$OUT/$s-closed.txt")
        RATE=$(awk -v b="$MAX" 'BEGIN {printf "%d", b / 2}')
        echo "## $s: open loop at $RATE req/s (half its maximum)"
        $LT --scenario "$s" --rate "$RATE" --duration "$DURATION" --hgrm "$OUT/$s-open.hgrm"
        ;;
      *)
        echo "## $s: closed loop (max throughput) vs /health/live"
        $LT --scenario "$s" --closed --connections "$CONNECTIONS" --duration "$DURATION" --baseline | tee "$OUT/$s-closed.txt"
        BASE=$(awk '/^baseline/ {print $4}' "$OUT/$s-closed.txt")
        RATE=$(awk -v b="$BASE" 'BEGIN {printf "%d", b / 2}')
        echo "## $s: open loop at $RATE req/s (half the /health/live maximum)"
        $LT --scenario "$s" --rate "$RATE" --duration "$DURATION" --hgrm "$OUT/$s-open.hgrm"
        ;;
    esac
  done
} 2>&1 | tee "$OUT/report.txt"
echo "report: $OUT/report.txt"
