#!/usr/bin/env bash
# The server's heap allocation per request for /health/live and each point lookup (issue 3: "no per-request
# allocation beyond the response"), from its GC log:
#   loadtest/alloc-per-request.sh [HOUSEHOLDS] [SNAPSHOT_DIR]
# The server runs with the parallel collector and a 64 MB young generation, so that a closed loop of each scenario
# spans dozens of young collections; the bytes allocated between two collections are the young generation's
# occupancy before the second less what the first left. Each scenario's bytes over the young collections inside
# its run, divided by its requests in that time (its rate times the time from the first to the last of those
# collections), give bytes per request. Every thread of the server counts (event loops, journal, collector).
# Environment: PORT (18085), DURATION (20s), WARMUP (15s), CONNECTIONS (32), SCENARIOS (health partner-lookup
#   pos-eligibility public-status), LOCK_MEMORY (as run.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
HOUSEHOLDS=${1:-1000000}
SNAP=${2:-demo-data/snapshot-$HOUSEHOLDS}
PORT=${PORT:-18085}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-15s}
CONNECTIONS=${CONNECTIONS:-32}
SCENARIOS=${SCENARIOS:-"health partner-lookup pos-eligibility public-status"}
OUT=${OUT:-loadtest/target/alloc-$HOUSEHOLDS}
. loadtest/common.sh
prepare "$HOUSEHOLDS" "$SNAP" "$OUT"
JAVA_OPTS="-Xms2g -Xmx2g -XX:+AlwaysPreTouch -XX:+UseParallelGC -Xmn64m" GC_LOG=1 \
  start_demo_server "$SNAP" "$PORT" "$OUT"
LT="java -XX:+UseZGC -Xms1g -Xmx1g -jar loadtest/target/nser-loadtest.jar --target http://127.0.0.1:$PORT \
  --ids $OUT/ids.txt --closed --connections $CONNECTIONS"
{
  echo "# $(date -u +%FT%TZ)  households=$HOUSEHOLDS  duration=$DURATION  connections=$CONNECTIONS"
  echo "# server JVM: -Xms2g -Xmx2g -XX:+AlwaysPreTouch -XX:+UseParallelGC -Xmn64m"
  echo "scenario | req/s | young collections | bytes allocated per request"
  echo "---|---:|---:|---:"
} | tee "$OUT/report.txt"
for s in $SCENARIOS; do
  key=$([ "$s" = health ] && echo "--key demo-power-key" || true)
  mark=$(wc -l < "$OUT/server-gc.log")
  # shellcheck disable=SC2086 # key is an option and its value, or nothing
  $LT --scenario "$s" $key --duration "$DURATION" --warmup "$WARMUP" > "$OUT/$s.txt"
  rate=$(awk -v s="$s" '$1 == s {print $3}' "$OUT/$s.txt")
  # the young collections logged during the run: from the first after the warm-up's end to the last
  tail -n +"$((mark + 1))" "$OUT/server-gc.log" | python3 -c '
import re, sys
rate, warm = float(sys.argv[1]), float(sys.argv[2])
gcs = []
for line in sys.stdin:
    m = re.search(r"\[(\d+\.\d+)s\].*Pause Young.* (\d+)M->(\d+)M", line)
    if m:
        gcs.append((float(m.group(1)), int(m.group(2)), int(m.group(3))))
start = gcs[0][0] + warm + 1 if gcs else 0
run = [g for g in gcs if g[0] >= start][:-1]  # the last may fall after the run
if len(run) < 3:
    sys.exit("too few young collections in the run: " + str(len(run)))
mb = sum(run[i][1] - run[i - 1][2] for i in range(1, len(run)))
secs = run[-1][0] - run[0][0]
print("%s | %.0f | %d | %.0f" % (sys.argv[3], rate, len(run) - 1, mb * 1048576 / (rate * secs)))
'  "$rate" "$(secs "$WARMUP")" "$s" | tee -a "$OUT/report.txt"
done
echo "report: $OUT/report.txt"
