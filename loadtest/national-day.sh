#!/usr/bin/env bash
# A national day of mixed traffic against one server (issue 29), with the server's collections and safepoints logged:
#   loadtest/national-day.sh SNAPSHOT [DURATION]
# Starts the server on the demo configuration like loadtest/run.sh (loadtest/common.sh start_demo_server: a fresh
# state directory for its journals, removed at the end; the snapshot locked in memory unless LOCK_MEMORY=0), waits
# until it is ready, then runs the load generator's national-day scenario: every class at once, each an open loop at
# its own rate on its own connections, latency from each request's due time, after WARMUP with every class:
#   eligibility 4,500/s (single CNICs) and eligibility-batch 500/s (batches of 50): 5,000 checks/s, 10% batches;
#   partner-lookup 1,000/s (half Power, half Standard); public-status 1,000/s; lists 20/s (pages and counts, half
#   each); statistics 1/s (a district table); updates 100/s (roster PATCHes, fsynced) -- each times SCALE.
# DURATION defaults to 10m, the issue's targets' length (30s, 2m, 10m as the load generator takes them).
# Writes to OUT: report.txt (per class every 10 s and overall: p50, p99, p99.9, max, errors; the summary line
# "national-day scale ..." with the issue's targets met or missed; the server's collector pauses and safepoints over
# 1 ms and its page faults during the recorded run), hgrm/CLASS.hgrm, server-gc.log (-Xlog:gc*), server-safepoint.log
# (-Xlog:safepoint), server.log (with the threads late to a safepoint), ids.txt.
#
# Server configuration the public-status class needs: its requests carry X-Forwarded-For with a client address drawn
# from 198.18.0.0/15 (131,072 addresses), and the server believes that header only from server.trusted_proxies. The
# demo configuration lists 127.0.0.1, the load generator's address here; a generator on another machine needs its
# address there, or every request counts against one address and the fair usage (public.fair_usage, 30 a minute,
# burst 10) answers 429, which the report counts as errors. At 1,000/s an address is drawn 0.46 times a minute on
# average, far under its limit.
#
# Environment:
#   SCALE (1: every class's rate times this; 0.1-0.2 for a two-core machine that also runs the generator),
#   WARMUP (30s, every class at once, not recorded), PORT (18083), OUT (loadtest/target/national-day),
#   SERVER_JAVA (the server's java; default $JAVA_HOME/bin/java when JAVA_HOME is set, else the one
#     loadtest/common.sh chose by measurement; the load
#     generator always runs on the PATH's java, so a comparison of collectors changes the server alone), e.g.
#     SERVER_JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java JAVA_OPTS='-Xms2g -Xmx2g -XX:+AlwaysPreTouch -XX:+UseZGC'
#     (on JDK 21-23 add -XX:+ZGenerational; from JDK 24 ZGC is only generational and the flag is ignored),
#   JAVA_OPTS (server heap and collector; default common.sh's SERVER_OPTS: a fixed 2 GiB heap, pre-touched, the
#     collector chosen by loadtest/collectors.sh), the GC and safepoint log
#     options are added to it,
#   LT_JAVA_OPTS (the load generator's JVM flags; default ZGC with a 1 GiB heap, as run.sh),
#   SERVER_EVENT_LOOPS (--event-loops), LOCK_MEMORY (1), TIMELINE (1: one line per class per second as well),
#   SAFEPOINT_TIMEOUT_MS (50: -XX:SafepointTimeoutDelay; a safepoint not reached by then names the threads that were
#     late, counted in the report: a long time to safepoint stops every thread, however short the pause after it).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: loadtest/national-day.sh SNAPSHOT [DURATION]" >&2; exit 2; }
SNAP=$1
DURATION=${2:-10m}
[ -f "$SNAP/manifest.json" ] || { echo "no snapshot at $SNAP (generate one with nser-index-builder.jar generate)" >&2
  exit 2; }
SCALE=${SCALE:-1}
WARMUP=${WARMUP:-30s}
PORT=${PORT:-18083}
OUT=${OUT:-loadtest/target/national-day}
export TZ=UTC # the server's logs and this script's window compare wall-clock times as text
if [ -z "${SERVER_JAVA:-}" ] && [ -n "${JAVA_HOME:-}" ]; then
  SERVER_JAVA=$JAVA_HOME/bin/java
fi
. loadtest/common.sh
mkdir -p "$OUT"
rm -f "$OUT/server-gc.log" "$OUT/server-safepoint.log"
java -jar index-builder/target/nser-index-builder.jar sample-ids "$SNAP" --count 20000 --seed 7 > "$OUT/ids.txt" \
  2>/dev/null
HEAP_OPTS=${JAVA_OPTS:-$SERVER_OPTS}
JAVA_OPTS="$HEAP_OPTS -Xlog:gc*:file=$OUT/server-gc.log:time,uptime,level,tags"
JAVA_OPTS="$JAVA_OPTS -Xlog:safepoint:file=$OUT/server-safepoint.log:time,uptime,level,tags"
# a safepoint not reached within SAFEPOINT_TIMEOUT_MS names the threads that held it up (in server.log)
JAVA_OPTS="$JAVA_OPTS -XX:+SafepointTimeout -XX:SafepointTimeoutDelay=${SAFEPOINT_TIMEOUT_MS:-50}"
GC_LOG=0 # the full logs above instead of common.sh's summary one
start_demo_server "$SNAP" "$PORT" "$OUT"
LT_OPTS=${LT_JAVA_OPTS:--XX:+UseZGC -Xms1g -Xmx1g}

# faults PID: the process's minor and major page faults so far
faults() {
  awk '{print $10, $12}' "/proc/$1/stat"
}

# cpu_ticks PID: the process's user and system CPU so far, in clock ticks (all threads: the collector's too)
cpu_ticks() {
  awk '{print $14 + $15}' "/proc/$1/stat"
}

# pauses FILE FROM TO: the collector's pauses (lines with "Pause" ending in a time in ms) between the wall-clock
# times FROM and TO (YYYY-MM-DDTHH:MM:SS): how many, how many over 1 ms, the longest
pauses() {
  awk -v from="$2" -v to="$3" '
    { t = substr($1, 2, 19) }
    t >= from && t <= to && /Pause/ && $NF ~ /^[0-9.]+ms$/ {
      ms = $NF; sub(/ms$/, "", ms); n++; if (ms + 0 > 1) over++; if (ms + 0 > max) { max = ms + 0; what = $0 } }
    END { printf "%d pauses, %d over 1 ms, longest %.3f ms", n, over, max
          if (what != "") { sub(/^.*\] /, "", what); printf " (%s)", what }
          printf "\n" }' "$1"
}

# safepoints FILE FROM TO: safepoints between FROM and TO: how many, how many over 1 ms in total (reaching it
# included), the longest and what it was for
safepoints() {
  awk -v from="$2" -v to="$3" '
    { t = substr($1, 2, 19) }
    t >= from && t <= to && /Safepoint "/ && match($0, /Total: [0-9]+ ns/) {
      ns = substr($0, RSTART + 7, RLENGTH - 10) + 0; n++; if (ns > 1000000) over++
      if (ns > max) { max = ns; split($0, q, "\""); what = q[2] } }
    END { printf "%d safepoints, %d over 1 ms, longest %.3f ms%s\n", n, over, max / 1e6,
          what != "" ? " (" what ")" : "" }' "$1"
}

# slow_to_safepoint LOG: how often each thread was named as not reaching a safepoint in time (-XX:+SafepointTimeout)
slow_to_safepoint() {
  awk '/Threads which did not reach the safepoint/ { on = 1; n++; next }
       /End of list/ { on = 0 }
       on && /# "/ { split($0, q, "\""); name = q[2]; gsub(/[0-9]+/, "N", name); by[name]++ }
       END { if (n == 0) { print "none"; exit } printf "%d timeouts;", n; for (t in by) printf " %s %d", t, by[t]
             printf "\n" }' "$1"
}

{
  echo "# $(date -u +%FT%TZ)  snapshot=$SNAP  duration=$DURATION  warmup=$WARMUP  scale=$SCALE  cores=$(nproc)" \
    " load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# server java: $SERVER_JAVA ($("$SERVER_JAVA" -version 2>&1 | head -1)); flags: $HEAP_OPTS;" \
    "event loops: ${SERVER_EVENT_LOOPS:-one per core}"
  echo "# load generator: java ($(java -version 2>&1 | head -1)) $LT_OPTS"
  grep -o '[0-9,]* bytes locked in memory.*\|not locked in memory.*' "$OUT/server.log" | sed 's/^/# snapshot: /' \
    || echo "# snapshot not locked in memory"
  FROM=$(date -u -d "+$(secs "$WARMUP") sec" +%FT%T)
  F0=$(faults "$SERVER")
  C0=$(cpu_ticks "$SERVER")
  # shellcheck disable=SC2086 # LT_OPTS is a list of flags
  java $LT_OPTS -jar loadtest/target/nser-loadtest.jar --target "http://127.0.0.1:$PORT" --ids "$OUT/ids.txt" \
    --scenario national-day --scale "$SCALE" --duration "$DURATION" --warmup "$WARMUP" --hgrm-dir "$OUT/hgrm" \
    $([ "${TIMELINE:-0}" = 1 ] && echo --timeline)
  TO=$(date -u +%FT%T)
  F1=$(faults "$SERVER")
  C1=$(cpu_ticks "$SERVER")
  echo "## the server from $FROM to $TO (the recorded run, and its last responses)"
  echo "collector: $(pauses "$OUT/server-gc.log" "$FROM" "$TO")"
  echo "safepoints: $(safepoints "$OUT/server-safepoint.log" "$FROM" "$TO")"
  echo "$F0 $F1" | awk '{printf "page faults: %d minor, %d major\n", $3 - $1, $4 - $2}'
  echo "$C0 $C1 $(getconf CLK_TCK)" | awk '{printf "server CPU: %.1f s (user and system, every thread, warm-up and run)\n", ($2 - $1) / $3}'
  echo "safepoints not reached within ${SAFEPOINT_TIMEOUT_MS:-50} ms (the whole server's life), by the thread that held" \
    "them up: $(slow_to_safepoint "$OUT/server.log")"
} 2>&1 | tee "$OUT/report.txt"
echo "report: $OUT/report.txt"
