#!/usr/bin/env bash
# Issue 27's benchmark: two replicas on one development Kafka broker, on this machine.
#   cluster/bench.sh [HOUSEHOLDS] [SNAPSHOT_DIR]      (from the repository root)
# Builds the jars and a snapshot of HOUSEHOLDS (default 1,000,000) if missing (an existing SNAPSHOT_DIR is only
# read), starts the broker and two replicas (the demo configuration, each with its own update, access-log, feedback
# and agreement directories in a fresh temporary directory, removed at the end), then:
#   1. `updates` closed loop through replica 1, CONNECTIONS in flight: durable updates/s through the cluster (each
#      answered once it is in the log, acks=all, and applied by replica 1);
#   2. `partner-lookup` on replica 2 at LOOKUP_RATE alone: the baseline;
#   3. `updates` at UPDATE_RATE through replica 1 and, at the same time, `partner-lookup` at LOOKUP_RATE on replica 2,
#      which applies those updates meanwhile: the replication lag (replica 2's nser_update_log_apply_lag_seconds
#      histogram, scraped before and after: from each update's receipt on replica 1 to its application on replica
#      2; p50/p99 are the upper bounds of the buckets they fall in) and the lookup latency on the applying replica.
# Environment: PORT (18091: replica 1; replica 2 on PORT+1, the broker on PORT+10), DURATION (20s), WARMUP (30s,
#   before the closed loop), CONNECTIONS (64), UPDATE_RATE (1000), LOOKUP_RATE (1000), CLUSTER_TMP (where the
#   temporary directory is made; default the report directory, on disk), JAVA_OPTS (the replicas' JVM flags,
#   default -Xms1g -Xmx1g), OUT (report directory).
set -euo pipefail
cd "$(dirname "$0")/.."
HOUSEHOLDS=${1:-1000000}
SNAP=${2:-demo-data/snapshot-$HOUSEHOLDS}
PORT=${PORT:-18091}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-30s}
CONNECTIONS=${CONNECTIONS:-64}
UPDATE_RATE=${UPDATE_RATE:-1000}
LOOKUP_RATE=${LOOKUP_RATE:-1000}
OUT=${OUT:-loadtest/target/cluster-$HOUSEHOLDS}
. loadtest/common.sh
[ -f cluster/target/nser-dev-kafka.jar ] || ./mvnw -q -B -DskipTests -pl cluster package
prepare "$HOUSEHOLDS" "$SNAP" "$OUT"
TMP=$(state_dir "${CLUSTER_TMP:-$OUT}")
FS=$(stat -f -c %T "$TMP")
PIDS=()
stop() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$TMP"; }
trap stop EXIT

# waits for a line starting with $2 in file $1, for at most $3 seconds
await_line() {
  for _ in $(seq 1 "$(( $3 * 10 ))"); do
    if grep -q "^$2" "$1" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "not $2 after $3 s; see $1" >&2; exit 1
}

java -Xmx512m -jar cluster/target/nser-dev-kafka.jar --dir "$TMP/kafka" --port $((PORT + 10)) \
  > "$TMP/kafka.out" 2> "$OUT/kafka.log" &
PIDS+=($!)
await_line "$TMP/kafka.out" "ready " 120
BOOTSTRAP=$(sed -n 's/^ready //p' "$TMP/kafka.out")
for n in 1 2; do
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of flags
  java ${JAVA_OPTS:--Xms1g -Xmx1g} -jar server/target/nser-server.jar --config config/demo.yaml --snapshot "$SNAP" \
    --port $((PORT + n - 1)) --kafka "$BOOTSTRAP" --node-id "replica-$n" --updates "$TMP/r$n.updates" \
    --journal "$TMP/r$n.journal" --feedback "$TMP/r$n.feedback" --agreements "$TMP/r$n.agreements" \
    > "$OUT/replica-$n.log" 2>&1 &
  PIDS+=($!)
  await_ready $((PORT + n - 1)) "${PIDS[-1]}" "$OUT/replica-$n.log"
done
R1=http://127.0.0.1:$PORT
R2=http://127.0.0.1:$((PORT + 1))
LT="java -jar loadtest/target/nser-loadtest.jar --ids $OUT/ids.txt"
lag() { curl -sf "$R2/metrics" | grep '^nser_update_log_apply_lag_seconds' || true; }
{
  echo "# $(date -u +%FT%TZ)  households=$HOUSEHOLDS  duration=$DURATION  connections=$CONNECTIONS  cores=$(nproc)" \
    " replicas' state on $FS  load average $(cut -d' ' -f1-3 /proc/loadavg)  commit $(git rev-parse --short HEAD)"
  echo "## updates through replica 1: closed loop, $CONNECTIONS in flight (durable updates/s through the cluster)"
  $LT --target "$R1" --scenario updates --closed --connections "$CONNECTIONS" --duration "$DURATION" \
    --warmup "$WARMUP" | tee "$OUT/closed.txt"
  echo "## partner-lookup on replica 2 at $LOOKUP_RATE/s alone"
  $LT --target "$R2" --scenario partner-lookup --rate "$LOOKUP_RATE" --duration "$DURATION" | tee "$OUT/alone.txt"
  lag > "$OUT/lag-before.txt"
  echo "## updates at $UPDATE_RATE/s through replica 1, partner-lookup at $LOOKUP_RATE/s on replica 2 (open loops)"
  $LT --target "$R1" --scenario updates --rate "$UPDATE_RATE" --duration "$DURATION" > "$OUT/open-updates.txt" &
  U=$!
  $LT --target "$R2" --scenario partner-lookup --rate "$LOOKUP_RATE" --duration "$DURATION" \
    > "$OUT/open-lookups.txt"
  wait $U
  cat "$OUT/open-updates.txt" "$OUT/open-lookups.txt"
  for _ in $(seq 1 50); do # replica 2 has applied everything replica 1 took
    [ "$(curl -sf "$R2/metrics" | sed -n 's/^nser_update_log_lag //p')" = 0 ] && break
    sleep 0.1
  done
  lag > "$OUT/lag-after.txt"
  echo "## summary"
  awk '$1 == "updates" {printf "durable updates/s through the cluster (closed loop, %s in flight): %.0f, p50 %s ms, " \
         "p99 %s ms, %s\n", c, $3, $4, $6, $9}' c="$CONNECTIONS" "$OUT/closed.txt"
  awk '$1 == "partner-lookup" {printf "lookups on replica 2 at %s/s alone: p50 %s ms, p99 %s ms\n", l, $4, $6}' \
    l="$LOOKUP_RATE" "$OUT/alone.txt"
  awk '$1 == "updates" {printf "updates at %s/s through replica 1: %.0f/s achieved, p50 %s ms, p99 %s ms, %s\n", r, $3,
         $4, $6, $9}' r="$UPDATE_RATE" "$OUT/open-updates.txt"
  awk '$1 == "partner-lookup" {printf "lookups on replica 2 at %s/s while it applies them: p50 %s ms, p99 %s ms, %s %s " \
         "%s\n", l, $4, $6, $9, $10, $11}' l="$LOOKUP_RATE" "$OUT/open-lookups.txt"
  # the window's histogram: after minus before, bucket by bucket; a quantile is the bound of the bucket it falls in
  awk 'FNR == NR { before[$1] = $2; next }
       { d = $2 - before[$1] }
       $1 ~ /_bucket/ { match($1, /le="[^"]*"/); le[n] = substr($1, RSTART + 4, RLENGTH - 5); cum[n++] = d }
       $1 ~ /_sum$/ { sum = d }
       $1 ~ /_count$/ { count = d }
       END {
         if (count == 0) { print "replication lag: no update applied in the window"; exit }
         for (i = 0; i < n; i++) {
           if (p50 == "" && cum[i] >= 0.5 * count) p50 = le[i]
           if (p99 == "" && cum[i] >= 0.99 * count) p99 = le[i]
         }
         printf "replication lag on replica 2 (%d updates): mean %.2f ms, p50 <= %s ms, p99 <= %s ms\n", count,
           1000 * sum / count, (p50 == "+Inf" ? p50 : p50 * 1000), (p99 == "+Inf" ? p99 : p99 * 1000)
       }' "$OUT/lag-before.txt" "$OUT/lag-after.txt"
} 2>&1 | tee "$OUT/report.txt"
echo "report: $OUT/report.txt"
