#!/usr/bin/env bash
# The cost of the access log and metering (issue 5): partner-lookup throughput with the journal on and off,
# alternated (off, on, off, on, ...) against the same snapshot in one run, and the ratio on / off, overall and per
# round (each round: a server with the log off, then one with it on, each measured for DURATION).
#   loadtest/metering-cost.sh [HOUSEHOLDS] [SNAPSHOT_DIR]
# Environment: PORT (18081), DURATION (20s), WARMUP (15s, unrecorded, before each measurement: every run starts a
#   fresh server, whose compiler is still busy after 5 s), CONNECTIONS (32), ROUNDS (3), FSYNC_US (the group-commit
#   interval of the "on" runs; default: config/demo.yaml's), JAVA_OPTS and LT_JAVA_OPTS (JVM flags of server and
#   load generator; default none), SERVER_EVENT_LOOPS (the server's event loops, --event-loops; default one per
#   core).
set -euo pipefail
cd "$(dirname "$0")/.."
HOUSEHOLDS=${1:-1000000}
SNAP=${2:-demo-data/snapshot-$HOUSEHOLDS}
PORT=${PORT:-18081}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-15s}
CONNECTIONS=${CONNECTIONS:-32}
OUT=${OUT:-loadtest/target/metering-cost-$HOUSEHOLDS}
. loadtest/common.sh
prepare "$HOUSEHOLDS" "$SNAP" "$OUT"
sed -E 's/^journal:.*/journal:\n  enabled: false/; /^  fsync_interval_micros/d' config/demo.yaml > "$OUT/off.yaml"
if [ -n "${FSYNC_US:-}" ]; then
  sed -E "s/^  fsync_interval_micros: .*/  fsync_interval_micros: $FSYNC_US/" config/demo.yaml > "$OUT/on.yaml"
else
  cp config/demo.yaml "$OUT/on.yaml"
fi
rm -rf "$OUT/journal"
STATE=$(state_dir "$OUT") # update and purchase journals: never beside the snapshot
trap 'rm -rf "$STATE"' EXIT
run() { # MODE ROUND
  # shellcheck disable=SC2086 # flag lists
  java ${JAVA_OPTS:-} -jar server/target/nser-server.jar --config "$OUT/$1.yaml" \
    --snapshot "$SNAP" --port "$PORT" \
    --journal "$OUT/journal" --updates "$STATE/updates" --feedback "$STATE/feedback" \
    ${SERVER_EVENT_LOOPS:+--event-loops "$SERVER_EVENT_LOOPS"} > "$OUT/server-$1-$2.log" 2>&1 &
  local srv=$!
  await_ready "$PORT" "$srv" "$OUT/server-$1-$2.log"
  # shellcheck disable=SC2086
  java ${LT_JAVA_OPTS:-} -jar loadtest/target/nser-loadtest.jar \
    --target "http://127.0.0.1:$PORT" --ids "$OUT/ids.txt" \
    --scenario partner-lookup --closed --connections "$CONNECTIONS" --duration "$DURATION" --warmup "$WARMUP" \
    | tail -n 1 \
    | sed "s/^partner-lookup/lookup-log-$1/" | tee -a "$OUT/report.txt"
  kill $srv; wait $srv 2>/dev/null || true
}
echo "# $(date -u +%FT%TZ)  event loops: ${SERVER_EVENT_LOOPS:-one per core}" > "$OUT/report.txt"
for round in $(seq 1 "${ROUNDS:-3}"); do run off "$round"; run on "$round"; done
awk '$1 == "lookup-log-off" {off += $3; n++; last = $3}
     $1 == "lookup-log-on" {on += $3; m++; rounds = rounds sprintf(" %.2f", $3 / last)}
     END {printf "mean req/s: log off %.0f, log on %.0f, ratio on / off %.2f (per round:%s)\n", off / n, on / m,
          (on / m) / (off / n), rounds}' "$OUT/report.txt" | tee -a "$OUT/report.txt"
