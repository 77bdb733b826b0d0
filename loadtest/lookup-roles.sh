#!/usr/bin/env bash
# The by-CNIC lookup for each role (Power: the whole household, ~2.8 KB; Standard: names, no other CNIC, ~1 KB;
# Basic: the searched person's name, address and score), and single eligibility, each in a closed loop alternated
# with /health/live in rounds on one server (issue 3's ratio), then one table of the ratios.
#   loadtest/lookup-roles.sh [HOUSEHOLDS] [SNAPSHOT_DIR]
# Environment: PORT (18083), DURATION (20s), WARMUP (15s), CONNECTIONS (32), ROUNDS (4), JAVA_OPTS (server JVM
#   flags; default a fixed, pre-touched 2 GiB heap, as run.sh), LT_JAVA_OPTS (default ZGC, as run.sh),
#   LOCK_MEMORY (1: --lock-memory, as run.sh), SERVER_EVENT_LOOPS (--event-loops, as run.sh), GC_LOG (1: the
#   server's collections in OUT/server-gc.log, as run.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
HOUSEHOLDS=${1:-1000000}
SNAP=${2:-demo-data/snapshot-$HOUSEHOLDS}
PORT=${PORT:-18083}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-15s}
CONNECTIONS=${CONNECTIONS:-32}
ROUNDS=${ROUNDS:-4}
OUT=${OUT:-loadtest/target/lookup-roles-$HOUSEHOLDS}
. loadtest/common.sh
prepare "$HOUSEHOLDS" "$SNAP" "$OUT"
start_demo_server "$SNAP" "$PORT" "$OUT"
{
  echo "# $(date -u +%FT%TZ)  households=$HOUSEHOLDS  duration=$DURATION  rounds=$ROUNDS  connections=$CONNECTIONS"
  server_line
} | tee "$OUT/report.txt"
for spec in partner-lookup:demo-power-key partner-lookup:demo-standard-key partner-lookup:demo-basic-key \
            pos-eligibility:demo-pos-key; do
  scenario=${spec%%:*}
  key=${spec#*:}
  echo "## $scenario with $key"
  # shellcheck disable=SC2086 # LT_JAVA_OPTS is a list of flags
  java ${LT_JAVA_OPTS:--XX:+UseZGC -Xms1g -Xmx1g} -jar loadtest/target/nser-loadtest.jar \
    --target "http://127.0.0.1:$PORT" --ids "$OUT/ids.txt" --scenario "$scenario" --key "$key" --closed \
    --connections "$CONNECTIONS" --duration "$DURATION" --warmup "$WARMUP" --baseline --rounds "$ROUNDS" \
    | tee "$OUT/$scenario-$key.txt"
  baseline_row "$scenario" "$key" "$scenario" "$OUT/$scenario-$key.txt" >> "$OUT/summary.txt.tmp"
done
{
  echo "## summary: requests/s of the scenario and of /health/live in its rounds, and their ratio"
  echo "scenario | key | req/s | /health/live req/s | ratio (per round)"
  echo "---|---|---:|---:|---"
  baseline_rows "$OUT/summary.txt.tmp"
} | tee -a "$OUT/report.txt"
rm -f "$OUT/summary.txt.tmp"
echo "report: $OUT/report.txt"
