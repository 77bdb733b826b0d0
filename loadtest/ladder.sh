#!/usr/bin/env bash
# Where a Power lookup's cost lies beside /health/live (issue 3's ratio), step by step, on one server:
#   loadtest/ladder.sh [HOUSEHOLDS] [SNAPSHOT_DIR]
# Serves, beside the API, three experimental routes (never part of the product: LadderRoutes, in the server's test
# sources, mounted through ServerMain.run as an Experiment by LadderMain), then runs each step in a closed loop
# alternated with /health/live in rounds (--baseline), as run.sh does for the point lookups:
#   pad     GET /ladder/pad              the no-op with a constant 2,786-byte body (a Power answer's mean size)
#   auth    GET /ladder/auth/{cnic}      + the API key, the CNIC route and parameter, the lookup's access record
#   read    GET /ladder/read/{cnic}      + the two Chronicle Map reads (CNIC index, household) and the scope check
#   lookup  GET /v1/households/by-cnic/{cnic}   the real lookup: + the household written as JSON
#   fixed   the same lookup of one CNIC over and over: its household stays in the caches
# Every step but fixed draws its CNICs from the same sample (known CNICs only), in the same order. Then one closed
# loop of each step, and of /health/live, for the server's CPU time per request (/proc/PID/stat).
# Environment: PORT (18084), DURATION (8s), WARMUP (5s), CONNECTIONS (32), ROUNDS (4), PASSES (2: the ladder
#   twice over, to show this machine's spread), STEPS (pad auth read lookup fixed), JAVA_OPTS, LT_JAVA_OPTS,
#   LOCK_MEMORY, GC_LOG (as run.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
HOUSEHOLDS=${1:-1000000}
SNAP=${2:-demo-data/snapshot-$HOUSEHOLDS}
PORT=${PORT:-18084}
DURATION=${DURATION:-8s}
WARMUP=${WARMUP:-5s}
CONNECTIONS=${CONNECTIONS:-32}
ROUNDS=${ROUNDS:-4}
PASSES=${PASSES:-2}
STEPS=${STEPS:-"pad auth read lookup fixed"}
OUT=${OUT:-loadtest/target/ladder-$HOUSEHOLDS}
. loadtest/common.sh
prepare "$HOUSEHOLDS" "$SNAP" "$OUT"

# the experimental server: the server's jar (with its manifest's Add-Opens) plus the ladder's two test classes, and
# LadderMain as its entry point
./mvnw -q -B -DskipTests -pl server -am test-compile
cp server/target/nser-server.jar "$OUT/nser-server-ladder.jar"
jar --update --file "$OUT/nser-server-ladder.jar" --main-class pk.gov.bisp.nser.server.LadderMain \
  -C server/target/test-classes pk/gov/bisp/nser/server/LadderMain.class \
  -C server/target/test-classes pk/gov/bisp/nser/server/lookup/LadderRoutes.class
SERVER_JAR="$OUT/nser-server-ladder.jar" start_demo_server "$SNAP" "$PORT" "$OUT"

FIXED=$(head -1 "$OUT/ids.txt")
LT="java ${LT_JAVA_OPTS:--XX:+UseZGC -Xms1g -Xmx1g} -jar loadtest/target/nser-loadtest.jar \
  --target http://127.0.0.1:$PORT --ids $OUT/ids.txt --unknown-share 0 --malformed-share 0 --key demo-power-key"
path_of() {
  case "$1" in
    pad) echo /ladder/pad ;;
    auth) echo "/ladder/auth/{cnic}" ;;
    read) echo "/ladder/read/{cnic}" ;;
    lookup) echo "/v1/households/by-cnic/{cnic}" ;;
    fixed) echo "/v1/households/by-cnic/$FIXED" ;;
    *) echo "unknown step $1 (pad auth read lookup fixed)" >&2; exit 2 ;;
  esac
}
{
  echo "# $(date -u +%FT%TZ)  households=$HOUSEHOLDS  duration=$DURATION  rounds=$ROUNDS  connections=$CONNECTIONS"
  server_line
} | tee "$OUT/report.txt"
# the compiler's warm-up of every step before anything is measured
for step in $STEPS; do
  $LT --scenario get --path "$(path_of "$step")" --closed --connections "$CONNECTIONS" --duration 5s \
    --warmup 5s > /dev/null
done
: > "$OUT/summary.tmp"
for pass in $(seq 1 "$PASSES"); do
  for step in $STEPS; do
    echo "## pass $pass: $step (GET $(path_of "$step"))"
    $LT --scenario get --path "$(path_of "$step")" --closed --connections "$CONNECTIONS" --duration "$DURATION" \
      --warmup "$WARMUP" --baseline --rounds "$ROUNDS" | tee "$OUT/$step-$pass.txt"
    baseline_row "$pass" "$step" get "$OUT/$step-$pass.txt" >> "$OUT/summary.tmp"
  done
done
# the server's CPU time per request of each step (and of /health/live), from /proc: one closed loop each, the
# server's CPU time taken over the middle of its measured part
cpu_ticks() { awk '{print $14 + $15}' "/proc/$SERVER/stat"; }
D=$(secs "$DURATION")
W=$(secs "$WARMUP")
[ "$D" -ge 4 ] || { echo "DURATION must be at least 4s" >&2; exit 2; }
: > "$OUT/cpu.tmp"
for step in health $STEPS; do
  p=$([ "$step" = health ] && echo /health/live || path_of "$step")
  $LT --scenario get --path "$p" --closed --connections "$CONNECTIONS" --duration "$DURATION" --warmup "$WARMUP" \
    > "$OUT/$step-cpu.txt" &
  lt=$!
  sleep $(( W + 2 )) # the generator's start (about a second), its warm-up, one second more
  before=$(cpu_ticks); t0=$(date +%s%N)
  sleep $(( D - 3 ))
  after=$(cpu_ticks); t1=$(date +%s%N)
  wait $lt
  rate=$(awk '$1 == "get" {print $3}' "$OUT/$step-cpu.txt")
  echo "$step $rate $(( (after - before) * 1000000 / $(getconf CLK_TCK) )) $(( (t1 - t0) / 1000 ))" >> "$OUT/cpu.tmp"
done
{
  echo "## summary: requests/s of each step and of /health/live in its rounds, and their ratio"
  echo "pass | step | req/s | /health/live req/s | ratio (per round)"
  echo "---|---|---:|---:|---"
  baseline_rows "$OUT/summary.tmp"
  echo "## the server's CPU time per request in a closed loop of each (the whole process: event loops, journal,"
  echo "## collector), over the middle of the run"
  echo "step | req/s | server CPU us/request"
  echo "---|---:|---:"
  awk '{printf "%s | %s | %.1f\n", $1, $2, $3 / ($2 * $4 / 1e6)}' "$OUT/cpu.tmp"
} | tee -a "$OUT/report.txt"
rm -f "$OUT/summary.tmp" "$OUT/cpu.tmp"
echo "report: $OUT/report.txt"
