#!/usr/bin/env bash
# A year of updates without a restart (issue 29, point 4):
#   loadtest/endurance.sh [UPDATES] [HOUSEHOLDS] [SNAPSHOT_DIR]
# Pushes UPDATES (default 10,000,000: 100,000 a day for a simulated year... and some) through the update API of one
# server over a snapshot of HOUSEHOLDS (default 1,000,000; generated when missing, an existing SNAPSHOT_DIR is only
# read), open loop at RATE updates/s, with partner lookups at LOOKUP_RATE/s on their own connections all along. The
# server folds its changed households into new snapshot generations online (--fold-every FOLD_EVERY, and no other
# way), so its heap must stay flat however many updates it takes. Every SAMPLE seconds: heap used (jcmd GC.heap_info:
# live data plus garbage not yet collected), RSS, the changed households held in memory and the folds done, in
# OUT/samples.tsv. At the end the server is stopped (a graceful stop, which writes a checkpoint), and its state (the
# newest generation with its update directory, compacted offline) is compared with an offline compact of the base
# snapshot and every update journal segment the server wrote (hard-linked as they appear, so the server's
# retention after each checkpoint does not take them away): both exported as NDJSON, whose SHA-256 must be equal.
# Environment: RATE (2000), LOOKUP_RATE (500), UPDATE_HOUSEHOLDS (households the updates go to, drawn from the
#   snapshot with a fixed seed; default 200,000), FOLD_EVERY (50,000), SAMPLE (60 s), PORT (18083), JAVA_OPTS (server
#   JVM flags; default a 2 GiB heap), CONNECTIONS (64), OUT (report directory), UPDATES_TMP (where the run's state
#   is made; default OUT, on disk).
set -euo pipefail
cd "$(dirname "$0")/.."
UPDATES=${1:-10000000}
HOUSEHOLDS=${2:-1000000}
SNAP=${3:-demo-data/snapshot-$HOUSEHOLDS}
RATE=${RATE:-2000}
LOOKUP_RATE=${LOOKUP_RATE:-500}
UPDATE_HOUSEHOLDS=${UPDATE_HOUSEHOLDS:-200000}
FOLD_EVERY=${FOLD_EVERY:-50000}
SAMPLE=${SAMPLE:-60}
PORT=${PORT:-18083}
CONNECTIONS=${CONNECTIONS:-64}
OUT=${OUT:-loadtest/target/endurance-$HOUSEHOLDS}
JAVA_OPTS=${JAVA_OPTS:--Xms2g -Xmx2g}
IB="java -jar index-builder/target/nser-index-builder.jar"
. loadtest/common.sh
prepare "$HOUSEHOLDS" "$SNAP" "$OUT"
$IB sample-ids "$SNAP" --count "$UPDATE_HOUSEHOLDS" --seed 11 > "$OUT/update-ids.txt" 2>/dev/null
TMP=$(state_dir "${UPDATES_TMP:-$OUT}")
KEEP="$TMP/journal-kept"
mkdir -p "$KEEP"
# shellcheck disable=SC2086 # JAVA_OPTS is a list of flags
java $JAVA_OPTS -Xlog:gc:file="$OUT/server-gc.log":time,uptime -jar server/target/nser-server.jar --demo \
  --snapshot "$SNAP" --port "$PORT" --updates "$TMP/updates" --journal "$TMP/access-log" --feedback "$TMP/feedback" \
  --fold-every "$FOLD_EVERY" > "$OUT/server.log" 2>&1 &
SERVER=$!
PIDS=""
cleanup() {
  for p in $PIDS; do kill "$p" 2>/dev/null || true; done
  kill "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT
await_ready "$PORT" "$SERVER" "$OUT/server.log"

# every update journal segment, hard-linked as soon as it appears: the link keeps what the server appends to it and
# what it deletes after a checkpoint
keep_journal() {
  for f in "$TMP"/updates/journal-*.seg; do
    [ -e "$f" ] && [ ! -e "$KEEP/${f##*/}" ] && ln "$f" "$KEEP/${f##*/}" 2>/dev/null || true
  done
}
( while kill -0 "$SERVER" 2>/dev/null; do keep_journal; sleep 0.5; done ) &
PIDS="$PIDS $!"

# heap, RSS, changed households held, folds: every SAMPLE seconds
ADMIN="Authorization: Bearer demo-admin-key"
sample() {
  local heap rss changed folds
  heap=$(jcmd "$SERVER" GC.heap_info 2>/dev/null | grep -o 'used [0-9]*K' | head -1 | tr -dc 0-9)
  rss=$(awk '/^VmRSS/ {print $2}' "/proc/$SERVER/status" 2>/dev/null)
  changed=$(curl -sf "http://127.0.0.1:$PORT/metrics" | awk '/^nser_households_changed / {print $2}')
  folds=$(curl -sf -H "$ADMIN" "http://127.0.0.1:$PORT/admin/compact" | grep -o '"folds":[0-9]*' | tr -dc 0-9)
  printf "%s\t%s\t%s\t%s\t%s\t%s\n" "$(date -u +%FT%TZ)" "$(( $(date +%s) - START ))" "$(( ${heap:-0} / 1024 ))" \
    "$(( ${rss:-0} / 1024 ))" "${changed:-}" "${folds:-}"
}
START=$(date +%s)
printf "time\tseconds\theap_used_mb\trss_mb\tchanged_households\tfolds\n" > "$OUT/samples.tsv"
sample >> "$OUT/samples.tsv"
( while kill -0 "$SERVER" 2>/dev/null; do sleep "$SAMPLE"; sample >> "$OUT/samples.tsv"; done ) &
PIDS="$PIDS $!"

DURATION=$(( (UPDATES + RATE - 1) / RATE ))
{
  echo "# $(date -u +%FT%TZ)  updates=$UPDATES at $RATE/s (${DURATION} s) to $UPDATE_HOUSEHOLDS households" \
    " households=$HOUSEHOLDS  lookups=$LOOKUP_RATE/s  fold_every=$FOLD_EVERY  cores=$(nproc)"
  echo "# server JVM: $JAVA_OPTS"
  LT="java -jar loadtest/target/nser-loadtest.jar --target http://127.0.0.1:$PORT --warmup 0s"
  # two generators at once, each on its own connections: the updates, and the lookups answered throughout
  $LT --ids "$OUT/ids.txt" --scenario partner-lookup --rate "$LOOKUP_RATE" --connections "$CONNECTIONS" \
    --duration "${DURATION}s" --hgrm "$OUT/lookups.hgrm" > "$OUT/lookups.txt" 2>&1 &
  LOOKUPS=$!
  $LT --ids "$OUT/update-ids.txt" --update-households "$UPDATE_HOUSEHOLDS" --scenario updates --rate "$RATE" \
    --connections "$CONNECTIONS" --duration "${DURATION}s" --hgrm "$OUT/updates.hgrm"
  wait "$LOOKUPS" || true
  cat "$OUT/lookups.txt"
} 2>&1 | tee "$OUT/load.txt"
sample >> "$OUT/samples.tsv"
curl -sf -H "$ADMIN" "http://127.0.0.1:$PORT/admin/compact" > "$OUT/last-fold.json" || true
for p in $PIDS; do kill "$p" 2>/dev/null || true; done
PIDS=""
keep_journal
kill -TERM "$SERVER"
wait "$SERVER" || true
keep_journal

# the served state, compacted offline: the newest generation (or the base) with its update directory
SERVED="$SNAP"
[ -f "$TMP/updates/generation.txt" ] && SERVED="$TMP/updates/generations/$(cat "$TMP/updates/generation.txt")"
$IB compact "$SERVED" --updates "$TMP/updates" --out "$TMP/served" > "$OUT/compact-served.txt"
# the same journal from the start, over the base snapshot
cp "$TMP/updates/base.txt" "$KEEP/"
$IB compact "$SNAP" --updates "$KEEP" --out "$TMP/offline" > "$OUT/compact-offline.txt"
SERVED_SUM=$($IB export "$TMP/served" | sha256sum | cut -d' ' -f1)
OFFLINE_SUM=$($IB export "$TMP/offline" | sha256sum | cut -d' ' -f1)
{
  echo "## samples (every $SAMPLE s)"
  column -t "$OUT/samples.tsv"
  echo "## folds"
  grep -o 'updates: folded .*' "$OUT/server.log" || echo "(none)"
  echo "## summary"
  awk '$1 == "updates" {printf "updates: %.0f/s achieved, p50 %s ms, p99 %s ms, %s %s %s %s\n", $3, $4, $6, $9,
         $10, $11, $12}
       $1 == "partner-lookup" {printf "lookups at %s/s throughout: p50 %s ms, p99 %s ms, %s\n", l, $4,
         $6, $9}' l="$LOOKUP_RATE" "$OUT/load.txt"
  awk -F'\t' 'NR > 1 && $3 > 0 {n++; if ($3 > hmax) hmax = $3; if ($4 > rmax) rmax = $4; h[n] = $3; r[n] = $4}
       END {printf "heap used: max %d MB, last %d MB; RSS: max %d MB, last %d MB (%d samples)\n", hmax, h[n], rmax,
         r[n], n}' "$OUT/samples.tsv"
  echo "folds: $(grep -c 'updates: folded ' "$OUT/server.log" || true); journal segments kept: $(ls "$KEEP" | grep -c seg)"
  echo "served state sha256:  $SERVED_SUM"
  echo "offline compact sha256: $OFFLINE_SUM"
  if [ "$SERVED_SUM" = "$OFFLINE_SUM" ]; then
    echo "state: EQUAL to an offline compact of the same journal"
  else
    echo "state: DIFFERENT from an offline compact of the same journal"
  fi
} 2>&1 | tee "$OUT/report.txt"
echo "report: $OUT/report.txt"
[ "$SERVED_SUM" = "$OFFLINE_SUM" ]
