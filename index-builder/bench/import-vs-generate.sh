#!/usr/bin/env bash
# Import against generate, in one run on this machine (issue 24): generate N households, export them as gzipped
# NDJSON, import that with --keep-scores, and verify. Prints each step's wall time, CPU (user + system), peak RSS
# (from /usr/bin/time -v when present) and households/s, and the import's temporary disk. With ROUNDS=R (default 1)
# generate and import then run alternately R times in all, each round printing import's rate over generate's: on a
# machine shared with other work, only neighbouring runs compare.
# BASELINE_JAR=other.jar (e.g. a build of an earlier commit) imports the same file with that jar too, right after
# each import, and prints its ratio: a change to the import measured against the code before it, in the same run.
# Usage: [ROUNDS=3] [BASELINE_JAR=...] bench/import-vs-generate.sh [N] [DIR]
# (default 1000000 households in a fresh directory under /tmp, removed afterwards unless KEEP=1).
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-1000000}
DIR=${2:-$(mktemp -d /tmp/nser-import-bench.XXXXXX)}
ROUNDS=${ROUNDS:-1}
JAR=index-builder/target/nser-index-builder.jar
[ -f "$JAR" ] || ./mvnw -q -DskipTests package
TIME=()
[ -x /usr/bin/time ] && TIME=(/usr/bin/time -v)
cleanup() { [ "${KEEP:-0}" = 1 ] || rm -rf "$DIR"; }
trap cleanup EXIT

step() { # name, then the command; prints name, seconds, CPU and peak RSS
  local name=$1; shift
  local start end
  start=$(date +%s.%N)
  "${TIME[@]}" "$@" 2> "$DIR/$name.err" > "$DIR/$name.out" || { cat "$DIR/$name.err"; exit 1; }
  end=$(date +%s.%N)
  local rss cpu
  rss=$(grep -o 'Maximum resident set size (kbytes): [0-9]*' "$DIR/$name.err" | grep -o '[0-9]*$' || echo '?')
  cpu=$(awk -F': ' '/User time|System time/ {t+=$2} END {printf "%.1f", t}' "$DIR/$name.err")
  printf '%-9s %8.1f s  CPU %7s s  peak RSS %8s KB' "$name" "$(echo "$end - $start" | bc)" "$cpu" "$rss"
  echo "$end - $start" | bc > "$DIR/$name.secs"
  echo "$cpu" > "$DIR/$name.cpu"
}

rate() { # step name: households/s and CPU microseconds a household
  printf '  %8.0f households/s  %5.1f us CPU a household' "$(echo "$N / $(cat "$DIR/$1.secs")" | bc -l)" \
    "$(echo "$(cat "$DIR/$1.cpu") * 1000000 / $N" | bc -l)"
}

run_import() { # round number [jar, label]
  local jar=${2:-$JAR} label=${3:-import}
  rm -rf "$DIR/imported" "$DIR"/.imported.* "$DIR/tmp-peak"
  ( # the import's temporary directory, largest seen
    peak=0
    while sleep 1; do
      s=$(du -sb "$DIR"/.imported.* 2>/dev/null | awk '{t+=$1} END {printf "%d\n", t}' || true)
      [ "$s" -gt "$peak" ] && peak=$s && echo "$peak" > "$DIR/tmp-peak"
    done
  ) & WATCH=$!
  step "$label" java -jar "$jar" import --format ndjson "$DIR/registry.ndjson.gz" --out "$DIR/imported" --keep-scores
  kill $WATCH 2>/dev/null || true
  rate "$label"
  printf '  temporary disk %s MB\n' "$(( $(cat "$DIR/tmp-peak" 2>/dev/null || echo 0) / 1048576 ))"
  grep -E 'took' "$DIR/$label.err" | sed 's/^/    /'
  printf '  round %s: %s/generate = %.2f\n' "$1" "$label" \
    "$(echo "$(cat "$DIR/generate.secs") / $(cat "$DIR/$label.secs")" | bc -l)"
}

imports() { # round number: the import, then the baseline's when given
  run_import "$1"
  if [ -n "${BASELINE_JAR:-}" ]; then
    [ "$1" = 1 ] && step verify java -jar "$JAR" verify "$DIR/imported" && echo
    run_import "$1" "$BASELINE_JAR" baseline
  fi
}

step generate java -jar "$JAR" generate --households "$N" --seed 1 --out "$DIR/gen"
rate generate; echo
grep -E 'took' "$DIR/generate.err" | sed 's/^/    /'
step export sh -c "java -jar '$JAR' export '$DIR/gen' | gzip -1 > '$DIR/registry.ndjson.gz'"
printf '  %s gzipped NDJSON\n' "$(du -h "$DIR/registry.ndjson.gz" | cut -f1)"
rm -rf "$DIR/gen" # the import below gets the disk to itself
imports 1
[ -n "${BASELINE_JAR:-}" ] || { step verify java -jar "$JAR" verify "$DIR/imported"; echo; }
for r in $(seq 2 "$ROUNDS"); do
  rm -rf "$DIR/imported" "$DIR/gen"
  step generate java -jar "$JAR" generate --households "$N" --seed 1 --out "$DIR/gen"
  rate generate; echo
  grep -E 'took' "$DIR/generate.err" | sed 's/^/    /'
  rm -rf "$DIR/gen"
  imports "$r"
done
