#!/usr/bin/env bash
# Durable live updates while lookups are served (issues 6 and 7):
#   loadtest/updates-bench.sh [HOUSEHOLDS] [SNAPSHOT_DIR]
# Builds the jars and a snapshot of HOUSEHOLDS (default 1,000,000) if missing (an existing SNAPSHOT_DIR is only
# read), starts the server on the demo configuration with a fresh temporary directory for its update journal, access
# log and purchase journal (removed at the end, so runs never accumulate state and nothing is written beside the
# snapshot), waits until the snapshot is verified and warm, then:
#   1. closed loop of `updates` with CONNECTIONS in flight: the most durable updates/s. Every update is in the
#      update journal and fsynced before its 200; group commit comes from the updates in flight;
#   2. open loop: `updates` at UPDATE_RATE and `partner-lookup` at LOOKUP_RATE at the same time (each on its own
#      connections), with `partner-lookup` alone at LOOKUP_RATE before and after as the baseline.
# Latency in the open loop runs from each request's due time (no coordinated omission).
# Environment: PORT (18082), DURATION (20s), WARMUP (30s: the update path runs its first seconds at half speed
#   until the JIT is done), CONNECTIONS (128, per scenario), UPDATE_RATE (5000), LOOKUP_RATE (1000),
#   CHECKPOINT_EVERY (updates between checkpoints; default config/demo.yaml's 50,000; 0 = none during the run),
#   UPDATES_TMP (where the temporary directory is made; default the report directory, on the repository's disk, never
#   a tmpfs), JAVA_OPTS (extra server JVM flags), SERVER_EVENT_LOOPS (the server's event loops, --event-loops;
#   default one per core), OUT (report directory).
set -euo pipefail
cd "$(dirname "$0")/.."
HOUSEHOLDS=${1:-1000000}
SNAP=${2:-demo-data/snapshot-$HOUSEHOLDS}
PORT=${PORT:-18082}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-30s}
CONNECTIONS=${CONNECTIONS:-128}
UPDATE_RATE=${UPDATE_RATE:-5000}
LOOKUP_RATE=${LOOKUP_RATE:-1000}
OUT=${OUT:-loadtest/target/updates-$HOUSEHOLDS}
. loadtest/common.sh
prepare "$HOUSEHOLDS" "$SNAP" "$OUT"
TMP=$(state_dir "${UPDATES_TMP:-$OUT}")
FS=$(stat -f -c %T "$TMP")
trap 'rm -rf "$TMP"' EXIT
sed -E "s/^  checkpoint_every: .*/  checkpoint_every: ${CHECKPOINT_EVERY:-50000}/" config/demo.yaml > "$TMP/server.yaml"
# shellcheck disable=SC2086 # JAVA_OPTS is a list of flags
java ${JAVA_OPTS:-} -jar server/target/nser-server.jar --config "$TMP/server.yaml" --snapshot "$SNAP" --port "$PORT" \
  --updates "$TMP/updates" --journal "$TMP/access-log" --feedback "$TMP/feedback" \
  ${SERVER_EVENT_LOOPS:+--event-loops "$SERVER_EVENT_LOOPS"} > "$OUT/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true; rm -rf "$TMP"' EXIT
await_ready "$PORT" "$SERVER" "$OUT/server.log"
LT="java -jar loadtest/target/nser-loadtest.jar --target http://127.0.0.1:$PORT --ids $OUT/ids.txt --warmup $WARMUP"
{
  echo "# $(date -u +%FT%TZ)  households=$HOUSEHOLDS  duration=$DURATION  warmup=$WARMUP  connections=$CONNECTIONS" \
    " checkpoint_every=${CHECKPOINT_EVERY:-50000}  cores=$(nproc)  journals on $FS" \
    " load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# event loops: ${SERVER_EVENT_LOOPS:-one per core}"
  echo "## updates: closed loop, $CONNECTIONS in flight (max durable updates/s)"
  $LT --scenario updates --closed --connections "$CONNECTIONS" --duration "$DURATION" | tee "$OUT/closed.txt"
  echo "## updates at $UPDATE_RATE/s with partner-lookup at $LOOKUP_RATE/s (open loop), lookups alone before and after"
  $LT --scenario updates --rate "$UPDATE_RATE" --also partner-lookup --also-rate "$LOOKUP_RATE" \
    --connections "$CONNECTIONS" --duration "$DURATION" --hgrm "$OUT/updates-open.hgrm" | tee "$OUT/open.txt"
  echo "## checkpoints the server wrote during the runs"
  grep -o 'updates: checkpoint .*' "$OUT/server.log" || echo "(none)"
  echo "## summary"
  awk '$1 == "updates" {printf "max durable updates/s (closed loop, %s in flight): %.0f, p50 %s ms, p99 %s ms, %s\n",
         c, $3, $4, $6, $9}' c="$CONNECTIONS" "$OUT/closed.txt"
  awk '$1 == "updates" {printf "updates at %s/s: %.0f/s achieved, p50 %s ms, p99 %s ms, %s %s %s %s\n", r, $3, $4, $6,
         $9, $10, $11, $12}
       $1 == "partner-lookup/with-updates" {printf "lookups at %s/s with the updates: p50 %s ms, p99 %s ms, %s\n", l,
         $4, $6, $9}
       $1 == "partner-lookup/alone" {printf "lookups at %s/s alone (before and after): p50 %s ms, p99 %s ms\n", l, $4,
         $6}' r="$UPDATE_RATE" l="$LOOKUP_RATE" "$OUT/open.txt"
} 2>&1 | tee "$OUT/report.txt"
echo "report: $OUT/report.txt"
