#!/usr/bin/env bash
# The CPU each request costs the server and the load generator, for /health/live and each point lookup, in closed
# loops on one server (issue 3's ratio is about the pair's CPU per /health/live request over the pair's CPU per
# lookup, the two processes sharing the machine's cores):
#   loadtest/cpu-per-request.sh [HOUSEHOLDS] [SNAPSHOT_DIR]
# Each closed loop runs WARMUP, then the two processes' CPU time (utime + stime from /proc) is read at the start and
# end of a WINDOW inside its DURATION; divided by the requests in the window (the run's rate times the window)
# that gives microseconds per request. The scenarios run in ROUNDS rounds, in order each round.
# Environment: PORT (18086), DURATION (20s), WARMUP (10s), WINDOW (15, seconds), CONNECTIONS (32), ROUNDS (2),
#   SCENARIOS (health partner-lookup pos-eligibility public-status), LOCK_MEMORY (as run.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
HOUSEHOLDS=${1:-1000000}
SNAP=${2:-demo-data/snapshot-$HOUSEHOLDS}
PORT=${PORT:-18086}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-10s}
WINDOW=${WINDOW:-15}
CONNECTIONS=${CONNECTIONS:-32}
ROUNDS=${ROUNDS:-2}
SCENARIOS=${SCENARIOS:-"health partner-lookup pos-eligibility public-status"}
OUT=${OUT:-loadtest/target/cpu-$HOUSEHOLDS}
. loadtest/common.sh
prepare "$HOUSEHOLDS" "$SNAP" "$OUT"
start_demo_server "$SNAP" "$PORT" "$OUT"
[ $(( $(secs "$WARMUP") + WINDOW + 2 )) -le $(( $(secs "$WARMUP") + $(secs "$DURATION") )) ] \
  || { echo "WINDOW must fit inside DURATION with a second to spare on each side" >&2; exit 1; }
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
{
  echo "# $(date -u +%FT%TZ)  households=$HOUSEHOLDS  duration=$DURATION  window=${WINDOW}s  connections=$CONNECTIONS"
  server_line
  echo "round | scenario | req/s | server us/request | generator us/request | both | /health/live's both over this"
  echo "---|---|---:|---:|---:|---:|---:"
} | tee "$OUT/report.txt"
for round in $(seq 1 "$ROUNDS"); do
  health=""
  for s in $SCENARIOS; do
    key=$([ "$s" = health ] && echo "--key demo-power-key" || true)
    # shellcheck disable=SC2086 # key is an option and its value, or nothing
    java -XX:+UseZGC -Xms1g -Xmx1g -jar loadtest/target/nser-loadtest.jar --target "http://127.0.0.1:$PORT" \
      --ids "$OUT/ids.txt" --closed --connections "$CONNECTIONS" --scenario "$s" $key --duration "$DURATION" \
      --warmup "$WARMUP" > "$OUT/$s-$round.txt" &
    gen=$!
    sleep $(( $(secs "$WARMUP") + 1 ))
    s0=$(ticks "$SERVER"); g0=$(ticks "$gen"); t0=$(date +%s.%N)
    sleep "$WINDOW"
    s1=$(ticks "$SERVER"); g1=$(ticks "$gen"); t1=$(date +%s.%N)
    wait "$gen"
    rate=$(awk -v s="$s" '$1 == s {print $3}' "$OUT/$s-$round.txt")
    row=$(awk -v r="$rate" -v s=$((s1 - s0)) -v g=$((g1 - g0)) -v hz="$(getconf CLK_TCK)" -v t0="$t0" -v t1="$t1" \
      'BEGIN {n = r * (t1 - t0); printf "%.1f %.1f %.1f", s / hz / n * 1e6, g / hz / n * 1e6, (s + g) / hz / n * 1e6}')
    read -r server_us gen_us both_us <<< "$row"
    [ "$s" = health ] && health=$both_us
    ratio=$([ -n "$health" ] && awk -v h="$health" -v b="$both_us" 'BEGIN {printf "%.2f", h / b}' || echo "-")
    echo "$round | $s | $rate | $server_us | $gen_us | $both_us | $ratio" | tee -a "$OUT/report.txt"
  done
done
echo "report: $OUT/report.txt"
