#!/usr/bin/env bash
# A change's cost on the hot paths, measured in one run against the code before it (issue 25: "benchmarks show no
# regression"): JMH ProjectionBenchmark and the Power lookup's closed loop (CPU per request of the server and the
# load generator, loadtest/cpu-per-request.sh), the jars of BEFORE and of the working tree alternated ROUNDS times,
# so the machine's drift falls on both sides.
#   benchmarks/before-after.sh BEFORE_REV [HOUSEHOLDS]
# Environment: ROUNDS (2), JMH_ARGS (short iterations), DURATION/WARMUP/WINDOW (the closed loop's, as
#   cpu-per-request.sh), LOCK_MEMORY (1).
# Builds BEFORE_REV in a temporary git worktree (removed on exit); expects the working tree's jars built
# (./mvnw -DskipTests package). Writes benchmarks/target/before-after/report.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
BEFORE=${1:?give the revision to compare with, e.g. d884a15}
HOUSEHOLDS=${2:-1000000}
ROUNDS=${ROUNDS:-2}
JMH_ARGS=${JMH_ARGS:-"-f 1 -wi 3 -w 2s -i 5 -r 2s"}
OUT=benchmarks/target/before-after
mkdir -p "$OUT"
WT=$(mktemp -d /tmp/nser-before.XXXXXX)
trap 'git worktree remove --force "$WT" >/dev/null 2>&1 || rm -rf "$WT"' EXIT
git worktree add --detach "$WT" "$BEFORE" >/dev/null
(cd "$WT" && ./mvnw -q -o -DskipTests package -pl index-builder,server,benchmarks,loadtest -am)
SNAP=demo-data/snapshot-$HOUSEHOLDS
[ -f "$SNAP/manifest.json" ] || java -jar index-builder/target/nser-index-builder.jar generate \
  --households "$HOUSEHOLDS" --seed 1 --out "$SNAP"
REPORT=$OUT/report.txt
{
  echo "# $(date -u +%FT%TZ)  before=$(git rev-parse --short "$BEFORE")  after=$(git rev-parse --short HEAD)$(git diff --quiet || echo '+dirty')  households=$HOUSEHOLDS  rounds=$ROUNDS"
  echo "round | side | ProjectionBenchmark encode POWER (ns) | projectAndEncode POWER (ns) | Power lookup: server us/request | both us/request"
  echo "---|---|---:|---:|---:|---:"
} | tee "$REPORT"
jmh() { # jar -> "encode projectAndEncode" for POWER, in ns
  # shellcheck disable=SC2086 # JMH_ARGS is a list of options
  java -jar "$1" 'ProjectionBenchmark' -p role=POWER -p snapshot="$(pwd)/$SNAP" -tu ns $JMH_ARGS -rf csv \
    -rff "$OUT/jmh.csv" > "$OUT/jmh.log" 2>&1
  awk -F, '/projectAndEncode/ {p=$5} /\.encode"/ {e=$5} END {printf "%.0f %.0f", e, p}' "$OUT/jmh.csv"
}
lookup() { # server jar -> "server both" us per Power lookup
  SERVER_JAR=$1 SCENARIOS="partner-lookup" ROUNDS=1 OUT="$OUT/cpu" \
    loadtest/cpu-per-request.sh "$HOUSEHOLDS" "$SNAP" > "$OUT/cpu.log" 2>&1
  awk -F'|' '$2 ~ /partner-lookup/ {gsub(/ /, ""); print $4, $6}' "$OUT/cpu/report.txt"
}
for round in $(seq 1 "$ROUNDS"); do
  for side in before after; do
    root=$([ "$side" = before ] && echo "$WT" || pwd)
    read -r enc proj <<< "$(jmh "$root/benchmarks/target/benchmarks.jar")"
    read -r server both <<< "$(lookup "$root/server/target/nser-server.jar")"
    echo "$round | $side | $enc | $proj | $server | $both" | tee -a "$REPORT"
  done
done
echo "report: $REPORT"
