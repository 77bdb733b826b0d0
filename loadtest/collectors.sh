#!/usr/bin/env bash
# The server's collector chosen by measurement (issue 29 point 2): loadtest/national-day.sh once per collector and
# heap, in ROUNDS rounds, each round in another order (rotated), so that the machine's moods fall on every one:
#   loadtest/collectors.sh SNAPSHOT [DURATION]
# Prints one table row per run (eligibility, partner lookups and public status: p99 / p99.9 / max ms; errors; the
# server's CPU seconds over the warm-up and the run, its collector's threads included: every run serves the same requests,
# so this is the collector's cost where the tails are the machine's mood; the collector's pauses over 1 ms;
# safepoints over 1 ms, reaching them included). Every run's report stays in OUT/NAME-rROUND/ (report.txt, hgrm/, the GC and safepoint logs).
#
# Environment:
#   CONFIGS: the configurations, "NAME=JAVA|FLAGS" separated by ';' (default below: G1, ZGC and Shenandoah on the
#     PATH's JDK 17; generational ZGC and generational Shenandoah on Temurin 25 when it is installed; G1 and ZGC with
#     a 4 GiB heap beside the 2 GiB ones),
#   ROUNDS (2), SCALE (0.2: a fifth of the day, for a two-core machine that also runs the generator), WARMUP (30s),
#   OUT (loadtest/target/collectors), and what national-day.sh takes (PORT, LOCK_MEMORY, SERVER_JAR...).
# The load generator always runs on the PATH's java with its own flags (LT_JAVA_OPTS), so only the server changes.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: loadtest/collectors.sh SNAPSHOT [DURATION]" >&2; exit 2; }
SNAP=$1
DURATION=${2:-60s}
ROUNDS=${ROUNDS:-2}
OUT=${OUT:-loadtest/target/collectors}
export SCALE=${SCALE:-0.2}
J17=$(command -v java)
J25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
FIXED='-XX:+AlwaysPreTouch'
DEFAULT="g1-17-2g=$J17|-Xms2g -Xmx2g $FIXED;zgc-17-2g=$J17|-Xms2g -Xmx2g $FIXED -XX:+UseZGC"
DEFAULT="$DEFAULT;shenandoah-17-2g=$J17|-Xms2g -Xmx2g $FIXED -XX:+UseShenandoahGC"
DEFAULT="$DEFAULT;g1-17-4g=$J17|-Xms4g -Xmx4g $FIXED"
if [ -x "$J25" ]; then
  DEFAULT="$DEFAULT;genzgc-25-2g=$J25|-Xms2g -Xmx2g $FIXED -XX:+UseZGC"
  DEFAULT="$DEFAULT;genzgc-25-4g=$J25|-Xms4g -Xmx4g $FIXED -XX:+UseZGC"
  DEFAULT="$DEFAULT;genshen-25-2g=$J25|-Xms2g -Xmx2g $FIXED -XX:+UseShenandoahGC -XX:ShenandoahGCMode=generational"
fi
IFS=';' read -r -a CFG <<< "${CONFIGS:-$DEFAULT}"
mkdir -p "$OUT"
TABLE=$OUT/table.txt
: > "$TABLE"

# row NAME ROUND REPORT: one line of the table from a national-day report
row() {
  awk -v name="$1" -v round="$2" '
    function cls(line, c,    s, a) {
      # "| eligibility 0.34/3.7/9.0/20.7 ms 12345 0 errors" -> "3.7 / 9.0 / 20.7"
      if (match(line, "\\| " c " [0-9.]+/[0-9.]+/[0-9.]+/[0-9.]+ ms")) {
        s = substr(line, RSTART + length(c) + 3, RLENGTH - length(c) - 6); split(s, a, "/")
        return a[2] " / " a[3] " / " a[4]
      }
      return "?"
    }
    /^national-day scale/ { sum = $0; n = split($0, parts, "|"); errs = 0
      for (i = 2; i <= n; i++) if (match(parts[i], / ms [0-9]+ errors/)) errs += substr(parts[i], RSTART + 4, RLENGTH - 11) + 0 }
    /^collector:/ { match($0, /[0-9]+ over 1 ms, longest [0-9.]+ ms/); gc = substr($0, RSTART, RLENGTH) }
    /^safepoints:/ { match($0, /[0-9]+ over 1 ms, longest [0-9.]+ ms/); sp = substr($0, RSTART, RLENGTH) }
    /^server CPU:/ { cpu = $3 }
    /load average/ && la == "" { match($0, /load average [0-9.]+/); la = substr($0, RSTART + 13, RLENGTH - 13) }
    END { printf "| %s | %s | %s | %s | %s | %s | %s | %s | pauses %s | safepoints %s |\n", name, round, la,
            cls(sum, "eligibility"), cls(sum, "partner-lookup"), cls(sum, "public-status"), errs, cpu, gc, sp }' "$3"
}

echo "# $(date -u +%FT%TZ) collectors on $SNAP, $DURATION, scale $SCALE, $ROUNDS rounds, $(nproc) cores" | tee -a "$TABLE"
echo "| configuration | round | load avg | eligibility p99 / p99.9 / max ms | lookup p99 / p99.9 / max | public p99 / p99.9 / max | errors | server CPU s | collector | safepoints |" | tee -a "$TABLE"
echo "|---|---|---|---|---|---|---|---|---|---|" | tee -a "$TABLE"
n=${#CFG[@]}
for ((r = 0; r < ROUNDS; r++)); do
  for ((k = 0; k < n; k++)); do
    c=${CFG[$(((k + r) % n))]}
    name=${c%%=*}
    spec=${c#*=}
    dir=$OUT/$name-r$((r + 1))
    SERVER_JAVA=${spec%%|*} JAVA_OPTS=${spec#*|} OUT=$dir loadtest/national-day.sh "$SNAP" "$DURATION" \
      > "$dir.log" 2>&1 || { echo "| $name | $((r + 1)) | failed: see $dir.log |" | tee -a "$TABLE"; continue; }
    row "$name" "$((r + 1))" "$dir/report.txt" | tee -a "$TABLE"
  done
done
echo "table: $TABLE"
