#!/usr/bin/env bash
# Reproduces the server figures in BENCHMARKS.md with one command:
#   loadtest/run.sh [HOUSEHOLDS] [SNAPSHOT_DIR]
# Builds the jars and a snapshot of HOUSEHOLDS (default 1,000,000) if missing (an existing SNAPSHOT_DIR is only
# read: the server's access log, update and purchase journals go to a fresh directory under the report directory,
# removed at the end), starts the server on the demo configuration, waits until the snapshot is verified and warm,
# then for each scenario:
#   1. closed loop (CONNECTIONS in flight) for its maximum throughput; for the point lookups (partner-lookup,
#      pos-eligibility, public-status) alternated with /health/live in rounds, and the ratio of the two (issue 3);
#   2. a rate search: the highest open-loop rate (bisection under the closed-loop maximum, STEPS runs of
#      STEP_DURATION) whose p99, measured from each request's due time, stays under the scenario's target;
# export-ndjson instead streams province EXPORT_PROVINCE on one connection and reports rows/s.
# It ends with one table: closed-loop maximum, ratio, highest rate with p99 under target.
# p99 targets (ms), from the issues: point lookups 2 (issue 3), list-count 5 and list-page 10 (issue 4); ours where
# no issue sets one: pos-batch (100 CNICs) 10, blend 10, updates (fsynced) 50. Override with P99_<SCENARIO> (dashes
# as underscores, e.g. P99_pos_batch=20).
# Environment: PORT (18080), DURATION (20s), WARMUP (15s: each closed loop's unrecorded warm-up of the scenario,
#   and of /health/live with --baseline; with 5 s the server's compiler was still busy in the first measured round),
#   CONNECTIONS (32), STEPS (6), STEP_DURATION (10s), EXPORT_PROVINCE (4, Islamabad; 6 is Punjab, a tenth of the
#   country per response), SCENARIOS (all nine), OUT (report directory),
#   SERVER_JAVA, JAVA_OPTS (the server's java and JVM flags; default loadtest/common.sh's choice by measurement
#   (loadtest/collectors.sh): Temurin 25 with generational Shenandoah where installed, else ZGC on the PATH's java,
#   with a fixed 2 GiB heap, pre-touched: left to itself a collector keeps a ~150 MB heap here and collects often),
#   LT_JAVA_OPTS (load generator JVM flags; default ZGC, so the generator's own collections do not stop its clock
#   and show up as server latency; the 12-28 ms G1 pauses that motivated it came from a leak since fixed),
#   TIMELINE (1: each rate-search run also prints one line per second, to place a stall in time and tell whether the
#   load generator itself was busy; see --timeline),
#   LOCK_MEMORY (1: the server locks the snapshot in memory, --lock-memory, so the kernel cannot page it out
#   between requests; this VM pages out memory untouched for a minute; 0 to measure without),
#   GC_LOG (1: the server's collections go to OUT/server-gc.log with wall-clock times, to set beside TIMELINE's
#   seconds; 0 for none),
#   SERVER_EVENT_LOOPS (the server's event loops, --event-loops; default one per core. With 1 on this 2-core
#   machine the server's event loop has a core beside the load generator's: measured while the journal thread still
#   wrote the access log alone (before journal.event_loop_writes), at 1M the point lookups' closed-loop
#   ratios to /health/live rose to 0.82-0.94 (Power 0.78 nationally), while their open-loop p99 at half the rate
#   got worse and pos-batch and list-page, which need both cores, lost a third to a half of their rates; see
#   BENCHMARKS.md).
set -euo pipefail
cd "$(dirname "$0")/.."
HOUSEHOLDS=${1:-1000000}
SNAP=${2:-demo-data/snapshot-$HOUSEHOLDS}
PORT=${PORT:-18080}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-15s}
CONNECTIONS=${CONNECTIONS:-32}
STEPS=${STEPS:-6}
STEP_DURATION=${STEP_DURATION:-10s}
SCENARIOS=${SCENARIOS:-"partner-lookup pos-eligibility public-status pos-batch list-count list-page blend updates export-ndjson"}
EXPORT_PROVINCE=${EXPORT_PROVINCE:-4}
OUT=${OUT:-loadtest/target/report-$HOUSEHOLDS}
. loadtest/common.sh
prepare "$HOUSEHOLDS" "$SNAP" "$OUT"
start_demo_server "$SNAP" "$PORT" "$OUT"
LT="java ${LT_JAVA_OPTS:--XX:+UseZGC -Xms1g -Xmx1g} -jar loadtest/target/nser-loadtest.jar --target http://127.0.0.1:$PORT --ids $OUT/ids.txt"

target_ms() {
  local var="P99_${1//-/_}"
  if [ -n "${!var:-}" ]; then echo "${!var}"; return; fi
  case "$1" in
    partner-lookup|pos-eligibility|public-status) echo 2 ;;
    list-count) echo 5 ;;
    updates) echo 50 ;;
    *) echo 10 ;;
  esac
}

SUMMARY="$OUT/summary.txt"
: > "$SUMMARY"
{
  echo "# $(date -u +%FT%TZ)  households=$HOUSEHOLDS  duration=$DURATION  connections=$CONNECTIONS  steps=$STEPS x" \
    "$STEP_DURATION  cores=$(nproc)  load average $(cut -d' ' -f1-3 /proc/loadavg)"
  server_line
  echo "# load generator JVM: ${LT_JAVA_OPTS:--XX:+UseZGC -Xms1g -Xmx1g}"
  grep -o '[0-9,]* bytes locked in memory.*\|not locked in memory.*' "$OUT/server.log" | sed 's/^/# snapshot: /' \
    || echo "# snapshot not locked in memory"
  for s in $SCENARIOS; do
    if [ "$s" = export-ndjson ]; then
      echo "## $s: province $EXPORT_PROVINCE streamed on one connection"
      $LT --scenario "$s" --closed --connections 1 --duration "$DURATION" --province "$EXPORT_PROVINCE" \
        | tee "$OUT/$s.txt"
      ROWS=$(awk '/^export-ndjson: province/ {print $(NF-1)}' "$OUT/$s.txt")
      echo "$s | 1 connection | | $ROWS rows/s | |" >> "$SUMMARY"
      continue
    fi
    T=$(target_ms "$s")
    case "$s" in
      partner-lookup|pos-eligibility|public-status)
        echo "## $s: closed loop, alternated with /health/live"
        $LT --scenario "$s" --closed --connections "$CONNECTIONS" --duration "$DURATION" --warmup "$WARMUP" \
          --baseline \
          | tee "$OUT/$s-closed.txt"
        RATIO=$(awk '/^ratio / {sub(",", "", $6); print $6}' "$OUT/$s-closed.txt")
        ;;
      *)
        echo "## $s: closed loop"
        $LT --scenario "$s" --closed --connections "$CONNECTIONS" --duration "$DURATION" --warmup "$WARMUP" \
          | tee "$OUT/$s-closed.txt"
        RATIO=""
        ;;
    esac
    MAX=$(awk -v s="$s" '$1 == s {printf "%d", $3}' "$OUT/$s-closed.txt")
    P99C=$(awk -v s="$s" '$1 == s {print $6}' "$OUT/$s-closed.txt")
    if [ "${MAX:-0}" -lt 2 ]; then
      echo "$s | no closed-loop throughput: see $OUT/$s-closed.txt | $RATIO | - | $T ms" >> "$SUMMARY"
      continue
    fi
    echo "## $s: highest open-loop rate with p99 under $T ms"
    $LT --scenario "$s" --find-rate --p99-ms "$T" --rate "$MAX" --steps "$STEPS" --duration "$STEP_DURATION" \
      --hgrm "$OUT/$s-open.hgrm" $([ "${TIMELINE:-0}" = 1 ] && echo --timeline) | tee "$OUT/$s-rate.txt"
    BEST=$(awk '/^max-rate / {print $3, ($3 == "none:" ? "" : "(p99 " $5 " ms)")}' "$OUT/$s-rate.txt")
    echo "$s | $MAX req/s (p99 $P99C ms) | $RATIO | $BEST | $T ms" >> "$SUMMARY"
  done
  echo "## summary"
  echo "scenario | closed-loop max | ratio to /health/live | highest rate with p99 under target | target"
  cat "$SUMMARY"
} 2>&1 | tee "$OUT/report.txt"
echo "report: $OUT/report.txt"
