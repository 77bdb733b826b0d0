#!/usr/bin/env bash
# The filter query side by side with PostgreSQL 15 holding the same rows with ordinary B-tree indexes:
#   benchmarks/postgres/compare.sh SNAPSHOT_DIR [SERVER_URL API_KEY]
#
# Query: PMT 20-32 inclusive (hundredths 2000..3200) AND the district with most households AND a disabled
# member; its count, and its first page (the first 100 households in ordinal order).
#
#  1. exports the snapshot as one CSV row per household (index-builder `export-columns`: the columns are
#     derived exactly as the bitmaps are);
#  2. starts a throwaway PostgreSQL 15 cluster (owned by the `postgres` OS user, unix socket only, private
#     port), loads the CSV with COPY, builds single-column B-tree indexes on the filter columns, VACUUM ANALYZE;
#  3. runs the count and the first page with pgbench (one client, after a warm-up, one log line per query)
#     and prints p50 / p99 / mean latency, the count and the first page's ids (and their md5). The first
#     page is also timed as `ORDER BY ordinal + 0`, which keeps the planner off its ordinal-index plan:
#     that plan assumes matches are spread evenly over ordinals, but a district's households are
#     contiguous, so it walks every household before the district (about 1 s at national scale);
#  4. with SERVER_URL and API_KEY, asks the NSER server the same two questions and prints MATCH or MISMATCH
#     (exit 1 on a mismatch); with NSER_TIMING_CMD, prints the server's latencies next to PostgreSQL's;
#  5. stops the cluster on exit (and deletes it unless KEEP_CLUSTER=1).
#
# Environment (defaults in brackets):
#   PG_DIR          working directory: cluster in data/, socket in run/, results-*/ [SNAPSHOT_DIR.pgcompare]
#   CSV             the exported CSV [PG_DIR/columns.csv]; reused when newer than the snapshot's manifest
#   PG_PORT         private port (no TCP listener; it names the socket) [54329]
#   KEEP_CLUSTER    1: keep the loaded cluster after the run (stopped); 0: delete it [0]. A run that finds a
#                   cluster loaded from the same snapshot (it remembers the snapshot's created_at) skips
#                   export and load; one loaded from another snapshot is reloaded.
#   WARMUP_SECONDS  pgbench warm-up per query, not measured [5]
#   BENCH_SECONDS   pgbench measurement per query [20]
#   PGBENCH_MODE    pgbench query protocol: prepared (planned once, like a server's precompiled query),
#                   extended or simple [prepared]
#   PG_SHARED_BUFFERS, PG_WORK_MEM, PG_EFFECTIVE_CACHE_SIZE   [4GB, 64MB, 12GB]
#   JAVA_OPTS       extra JVM options for the index builder (none needed: the jar's manifest carries them)
#   NSER_TIMING_CMD hook for the server-side latencies (see below) [benchmarks/postgres/nser-timing.sh:
#                   the load generator, one connection, closed loop; set it empty to skip]
#
# NSER_TIMING_CMD (to be filled in with the server's own measurement; this script never invents those
# figures): a command run twice, as `$NSER_TIMING_CMD count URL` and `$NSER_TIMING_CMD first_page URL`,
# where URL is the full request URL of that query on SERVER_URL (API_KEY, SERVER_URL, DISTRICT, SNAPSHOT
# exported). It measures that request however it likes (e.g. the load generator, one connection, after a
# warm-up) and prints one line: `p50_ms p99_ms mean_ms [samples]`. The script prints it beside PostgreSQL's
# figures with the ratios PostgreSQL / NSER.
set -euo pipefail
shopt -s inherit_errexit

usage() {
  sed -n '2,3p' "$0" | sed 's/^# *//' >&2
  exit 2
}
[ $# -eq 1 ] || [ $# -eq 3 ] || usage
[ -f "$1/manifest.json" ] || { echo "not a snapshot directory (no manifest.json): $1" >&2; exit 2; }
SNAP=$(realpath "$1")
SERVER_URL=${2:-}
API_KEY=${3:-}
cd "$(dirname "$0")/../.."

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_DIR=$(realpath -m "${PG_DIR:-$SNAP.pgcompare}")
CSV=$(realpath -m "${CSV:-$PG_DIR/columns.csv}")
case $CSV in *"'"*) echo "CSV path must not contain a single quote: $CSV" >&2; exit 2 ;; esac
PG_PORT=${PG_PORT:-54329}
KEEP_CLUSTER=${KEEP_CLUSTER:-0}
WARMUP_SECONDS=${WARMUP_SECONDS:-5}
BENCH_SECONDS=${BENCH_SECONDS:-20}
PGBENCH_MODE=${PGBENCH_MODE:-prepared}
NSER_TIMING_CMD=${NSER_TIMING_CMD-benchmarks/postgres/nser-timing.sh}
PMT_MIN=20
PMT_MAX=32
PAGE=100
IB=index-builder/target/nser-index-builder.jar
DATA=$PG_DIR/data
SOCK=$PG_DIR/run
OUT=$PG_DIR/results-$(date -u +%Y%m%dT%H%M%SZ)
STARTED=0

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
as_pg() { runuser -u postgres -- "$@"; }
sql() { PGOPTIONS="-c client_min_messages=warning" "$PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h "$SOCK" -p "$PG_PORT" -U postgres "$@"; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

stop_cluster() {
  if [ "$STARTED" = 1 ]; then
    log "stopping PostgreSQL"
    as_pg "$PG_BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null || true
    STARTED=0
  fi
  if [ "$KEEP_CLUSTER" != 1 ] && [ -f "$DATA/compare.conf" ]; then
    rm -rf "$DATA" "$SOCK"
  fi
}
trap stop_cluster EXIT
trap 'exit 130' INT TERM

mkdir -p "$PG_DIR" "$OUT"
runuser -u postgres -- test -x "$PG_DIR" \
  || { echo "the postgres user cannot reach $PG_DIR: choose PG_DIR elsewhere" >&2; exit 1; }
CREATED_AT=$(jq -er .created_at "$SNAP/manifest.json")
HOUSEHOLDS=$(jq -er .households "$SNAP/manifest.json")

# ---- the cluster: reuse one a previous run kept, or create it
if [ -f "$DATA/PG_VERSION" ] && [ ! -f "$DATA/compare.conf" ]; then
  echo "$DATA holds a cluster this script did not create; refusing to touch it" >&2
  exit 1
fi
if [ ! -f "$DATA/PG_VERSION" ]; then
  log "initdb $DATA"
  mkdir -p "$DATA"
  chown postgres: "$DATA"
  chmod 700 "$DATA"
  as_pg "$PG_BIN/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --no-locale >"$PG_DIR/initdb.log"
  echo "include 'compare.conf'" >>"$DATA/postgresql.conf"
fi
mkdir -p "$SOCK"
chown postgres: "$SOCK"
# Written on every start, so a kept cluster follows this run's PG_PORT and memory settings.
# A read-only benchmark on a throwaway copy: durability is switched off (fsync, full_page_writes,
# synchronous_commit) because nothing is written after the load and a crash means reloading anyway.
# wal_level=minimal lets COPY into the table created in the same transaction skip the WAL.
# jit=off: per-execution compilation only adds latency to millisecond queries.
cat >"$DATA/compare.conf" <<EOF
listen_addresses = ''
port = $PG_PORT
unix_socket_directories = '$SOCK'
shared_buffers = ${PG_SHARED_BUFFERS:-4GB}
effective_cache_size = ${PG_EFFECTIVE_CACHE_SIZE:-12GB}
work_mem = ${PG_WORK_MEM:-64MB}
maintenance_work_mem = 1GB
max_parallel_workers_per_gather = 2
max_parallel_maintenance_workers = 2
random_page_cost = 1.1
effective_io_concurrency = 200
jit = off
fsync = off
full_page_writes = off
synchronous_commit = off
wal_level = minimal
max_wal_senders = 0
max_wal_size = 4GB
checkpoint_timeout = 1h
autovacuum = off
EOF
chown postgres: "$DATA/compare.conf"
if "$PG_BIN/pg_isready" -q -h "$SOCK" -p "$PG_PORT"; then
  echo "a server already listens on $SOCK port $PG_PORT" >&2
  exit 1
fi
log "starting PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on socket $SOCK port $PG_PORT"
touch "$PG_DIR/postgres.log"
chown postgres: "$PG_DIR/postgres.log"
as_pg "$PG_BIN/pg_ctl" -D "$DATA" -l "$PG_DIR/postgres.log" -w -t 300 start >/dev/null \
  || { tail -n 20 "$PG_DIR/postgres.log" >&2; exit 1; }
STARTED=1

LOADED=$(sql -d postgres -c "SELECT 1 FROM pg_database WHERE datname = 'nser'")
if [ "$LOADED" = 1 ]; then
  LOADED=$(sql -d nser -c "SELECT count(*) FROM nser_compare_meta WHERE created_at = '$CREATED_AT'
                             AND households = $HOUSEHOLDS" 2>/dev/null || echo 0)
fi

# ---- export and load, unless this cluster already holds the snapshot
if [ "$LOADED" = 1 ]; then
  log "the cluster kept by an earlier run already holds this snapshot (created_at $CREATED_AT): export and load skipped"
else
  if [ -f "$CSV" ] && [ "$CSV" -nt "$SNAP/manifest.json" ]; then
    log "reusing $CSV (newer than the snapshot's manifest)"
    EXPORT_LINE="export: none, reused $CSV"
  else
    [ -f "$IB" ] || ./mvnw -q -B -DskipTests -pl index-builder -am package
    log "export-columns $SNAP -> $CSV"
    t=$(now)
    # shellcheck disable=SC2086
    java ${JAVA_OPTS:-} -jar "$IB" export-columns "$SNAP" --out "$CSV"
    EXPORT_LINE="export: $(since "$t")s"
  fi
  HEADER=$(head -n 1 "$CSV")
  FIRST=$(sed -n 2p "$CSV")
  IFS=, read -ra NAMES <<<"$HEADER"
  IFS=, read -ra VALUES <<<"$FIRST"
  [ "${#NAMES[@]}" = "${#VALUES[@]}" ] || { echo "$CSV: header and first row differ in length" >&2; exit 1; }
  COLS=()
  for i in "${!NAMES[@]}"; do
    n=${NAMES[$i]}
    case $n in
      ordinal) t=integer ;;
      household_id) t=bigint ;;
      pmt) t='numeric(5,2)' ;;
      province | division | district | tehsil | uc) t=integer ;;
      *) case ${VALUES[$i]} in t | f) t=boolean ;; *) t=text ;; esac ;;
    esac
    COLS+=("$n $t NOT NULL")
  done
  DDL=$(IFS=,; echo "${COLS[*]}")
  sql -d postgres -c "DROP DATABASE IF EXISTS nser" -c "CREATE DATABASE nser"
  log "COPY $HOUSEHOLDS rows (${#NAMES[@]} columns) from $CSV"
  t=$(now)
  # Created and filled in one transaction: COPY FREEZE writes the rows frozen and, with wal_level=minimal,
  # without WAL.
  sql -d nser <<EOF
BEGIN;
CREATE TABLE households ($DDL);
\copy households FROM '$CSV' WITH (FORMAT csv, HEADER true, FREEZE true)
COMMIT;
EOF
  COPY_S=$(since "$t")
  ROWS=$(sql -d nser -c "SELECT count(*) FROM households")
  [ "$ROWS" = "$HOUSEHOLDS" ] || { echo "loaded $ROWS rows but the manifest says $HOUSEHOLDS" >&2; exit 1; }
  INDEX_LINES=""
  t_all=$(now)
  for c in ordinal pmt district disabled_member province division tehsil uc; do
    t=$(now)
    if [ "$c" = ordinal ]; then
      sql -d nser -c "ALTER TABLE households ADD PRIMARY KEY (ordinal)"
    else
      sql -d nser -c "CREATE INDEX households_${c}_idx ON households USING btree ($c)"
    fi
    s=$(since "$t")
    log "index on $c: ${s}s"
    INDEX_LINES+="  index on $c: ${s}s"$'\n'
  done
  INDEX_S=$(since "$t_all")
  t=$(now)
  sql -d nser -c "VACUUM ANALYZE households"
  VACUUM_S=$(since "$t")
  sql -d nser -c "CREATE TABLE nser_compare_meta AS SELECT '$CREATED_AT'::text AS created_at,
                    $HOUSEHOLDS::bigint AS households, '$SNAP'::text AS snapshot"
  {
    echo "loaded $(date -u +%FT%TZ) from $SNAP ($HOUSEHOLDS households, CSV $(stat -c %s "$CSV") bytes)"
    echo "$EXPORT_LINE"
    echo "COPY: ${COPY_S}s"
    echo "indexes: ${INDEX_S}s"
    printf '%s' "$INDEX_LINES"
    echo "VACUUM ANALYZE: ${VACUUM_S}s"
  } >"$PG_DIR/load.txt"
fi

# ---- the query, and what PostgreSQL answers
DISTRICT=$(sql -d nser -c "SELECT district FROM households GROUP BY district ORDER BY count(*) DESC, district LIMIT 1")
WHERE="pmt BETWEEN $PMT_MIN AND $PMT_MAX AND district = $DISTRICT AND disabled_member = true"
COUNT_SQL="SELECT count(*) FROM households WHERE $WHERE;"
PAGE_SQL="SELECT household_id FROM households WHERE $WHERE ORDER BY ordinal LIMIT $PAGE;"
FENCED_SQL="SELECT household_id FROM households WHERE $WHERE ORDER BY ordinal + 0 LIMIT $PAGE;"
echo "$COUNT_SQL" >"$OUT/count.sql"
echo "$PAGE_SQL" >"$OUT/first_page.sql"
echo "$FENCED_SQL" >"$OUT/first_page_fenced.sql"
PG_COUNT=$(sql -d nser -f "$OUT/count.sql")
sql -d nser -f "$OUT/first_page.sql" >"$OUT/pg-first-page.txt"
sql -d nser -f "$OUT/first_page_fenced.sql" >"$OUT/pg-first-page-fenced.txt"
cmp -s "$OUT/pg-first-page.txt" "$OUT/pg-first-page-fenced.txt" \
  || { echo "PostgreSQL answers the first page differently with ORDER BY ordinal + 0" >&2; exit 1; }
PG_PAGE_MD5=$(md5sum <"$OUT/pg-first-page.txt" | cut -c1-32)

# ---- the same two questions to the NSER server
VERDICT="not checked (no SERVER_URL)"
FAILED=0
Q="pmt_min=$PMT_MIN&pmt_max=$PMT_MAX&district=$DISTRICT&disabled_member=yes"
COUNT_URL="${SERVER_URL%/}/v1/households/count?$Q"
PAGE_URL="${SERVER_URL%/}/v1/households?$Q&limit=$PAGE"
fetch() { # URL FILE: the body of a 200 answer, or fail showing what came back
  local code
  code=$(curl -sS -o "$2" -w '%{http_code}' -H "Authorization: Bearer $API_KEY" "$1") || return 1
  [ "$code" = 200 ] || { echo "GET $1 answered $code: $(head -c 500 "$2")" >&2; return 1; }
}
if [ -n "$SERVER_URL" ]; then
  log "asking $SERVER_URL the same questions"
  fetch "$COUNT_URL" "$OUT/server-count.json"
  fetch "$PAGE_URL" "$OUT/server-first-page.json"
  SERVER_COUNT=$(jq -er '.count' "$OUT/server-count.json")
  jq -r '(.items // error("no items array")) | .[] | .household_id | tostring' "$OUT/server-first-page.json" \
    >"$OUT/server-first-page.txt"
  if [ "$SERVER_COUNT" = "$PG_COUNT" ] && cmp -s "$OUT/pg-first-page.txt" "$OUT/server-first-page.txt"; then
    VERDICT="MATCH (count $PG_COUNT, first page of $(wc -l <"$OUT/pg-first-page.txt") ids identical and in order)"
  else
    FAILED=1
    VERDICT="MISMATCH: count PostgreSQL $PG_COUNT, NSER $SERVER_COUNT"
    if ! cmp -s "$OUT/pg-first-page.txt" "$OUT/server-first-page.txt"; then
      VERDICT+="; first pages differ (diff $OUT/pg-first-page.txt $OUT/server-first-page.txt)"
    fi
  fi
fi

# ---- latencies: pgbench, one client, one log line (latency in microseconds, 3rd field) per query
percentiles() { # pgbench log files -> "samples p50 p99 mean" in ms
  awk '{ print $3 }' "$@" | sort -n | awk '
    { v[NR] = $1; s += $1 }
    END {
      if (NR == 0) { print "0 - - -"; exit }
      i50 = int(0.50 * NR); if (i50 < 0.50 * NR) i50++; if (i50 < 1) i50 = 1
      i99 = int(0.99 * NR); if (i99 < 0.99 * NR) i99++; if (i99 < 1) i99 = 1
      printf "%d %.3f %.3f %.3f\n", NR, v[i50] / 1000, v[i99] / 1000, s / NR / 1000
    }'
}
bench() { # NAME: warm up, then measure NAME.sql
  local pgbench=("$PG_BIN/pgbench" -n -M "$PGBENCH_MODE" -c 1 -j 1 -h "$SOCK" -p "$PG_PORT" -U postgres)
  log "pgbench $1: ${WARMUP_SECONDS}s warm-up, ${BENCH_SECONDS}s measured"
  "${pgbench[@]}" -T "$WARMUP_SECONDS" -f "$OUT/$1.sql" nser >"$OUT/$1-warmup.txt" 2>&1
  (cd "$OUT" && "${pgbench[@]}" -T "$BENCH_SECONDS" -f "$1.sql" -l --log-prefix="$1-log" nser >"$1-pgbench.txt" 2>&1)
  percentiles "$OUT/$1-log".*
}
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
COUNT_T=$(bench count)
PAGE_T=$(bench first_page)
FENCED_T=$(bench first_page_fenced)
for q in count first_page first_page_fenced; do
  sql -d nser -c "EXPLAIN (ANALYZE, BUFFERS) $(cat "$OUT/$q.sql")" >"$OUT/explain-$q.txt"
done

nser_timing() { # QUERY URL -> "p50 p99 mean [samples]" from the hook, or nothing
  [ -n "$NSER_TIMING_CMD" ] && [ -n "$SERVER_URL" ] || return 0
  local cmd
  read -ra cmd <<<"$NSER_TIMING_CMD"
  API_KEY=$API_KEY SERVER_URL=$SERVER_URL DISTRICT=$DISTRICT SNAPSHOT=$SNAP "${cmd[@]}" "$1" "$2" | tail -n 1
}
NSER_COUNT_T=$(nser_timing count "$COUNT_URL")
NSER_PAGE_T=$(nser_timing first_page "$PAGE_URL")
ratio() { # PG_MS NSER_MS
  awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0) printf "%.1fx", a / b; else print "n/a" }'
}
row() { # LABEL "SAMPLES P50 P99 MEAN" NSER_TIMING
  local n p50 p99 mean n50 n99 nmean rest
  read -r n p50 p99 mean <<<"$2"
  echo "  $1"
  printf '    PostgreSQL  p50 %9s ms  p99 %9s ms  mean %9s ms  (%s queries)\n' "$p50" "$p99" "$mean" "$n"
  if [ -n "$3" ]; then
    read -r n50 n99 nmean rest <<<"$3"
    printf '    NSER        p50 %9s ms  p99 %9s ms  mean %9s ms  (%s queries)\n' "$n50" "$n99" "$nmean" "${rest:-?}"
    printf '    ratio PostgreSQL / NSER: p50 %s, p99 %s, mean %s\n' "$(ratio "$p50" "$n50")" \
      "$(ratio "$p99" "$n99")" "$(ratio "$mean" "$nmean")"
  else
    echo "    NSER        not measured (set NSER_TIMING_CMD)"
  fi
}

{
  echo "# PostgreSQL comparison $(date -u +%FT%TZ), $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB," \
    "load average before the queries $LOAD_BEFORE, after $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "snapshot $SNAP: $HOUSEHOLDS households (created_at $CREATED_AT)"
  cat "$PG_DIR/load.txt" 2>/dev/null || echo "(load figures missing: $PG_DIR/load.txt)"
  sql -d nser -c "SELECT 'sizes: table ' || pg_size_pretty(pg_table_size('households'))
                    || ', indexes ' || pg_size_pretty(pg_indexes_size('households'))
                    || ', total ' || pg_size_pretty(pg_total_relation_size('households'))
                    || ' (' || pg_total_relation_size('households') || ' bytes)'"
  sql -d nser -c "SELECT '  ' || indexrelid::regclass || ': ' || pg_size_pretty(pg_relation_size(indexrelid))
                    FROM pg_index WHERE indrelid = 'households'::regclass ORDER BY indexrelid::regclass::text"
  echo "settings: shared_buffers $(sql -d nser -c 'SHOW shared_buffers'), work_mem $(sql -d nser -c 'SHOW work_mem')," \
    "parallel workers per gather $(sql -d nser -c 'SHOW max_parallel_workers_per_gather'), jit off, fsync off;" \
    "pgbench -M $PGBENCH_MODE -c 1, ${WARMUP_SECONDS}s warm-up, ${BENCH_SECONDS}s per query"
  echo "query: pmt $PMT_MIN..$PMT_MAX AND district $DISTRICT (most households) AND disabled_member"
  echo "count: $PG_COUNT"
  echo "first page: $(wc -l <"$OUT/pg-first-page.txt") ids, md5 $PG_PAGE_MD5, first $(head -n 3 "$OUT/pg-first-page.txt" | paste -sd ' ') ..."
  echo "NSER server: $VERDICT"
  echo "latency (client side, one connection):"
  row "count" "$COUNT_T" "$NSER_COUNT_T"
  row "first page (ORDER BY ordinal)" "$PAGE_T" "$NSER_PAGE_T"
  row "first page, planner kept off the ordinal index (ORDER BY ordinal + 0)" "$FENCED_T" "$NSER_PAGE_T"
  echo "plans (EXPLAIN ANALYZE, warm):"
  for q in count first_page first_page_fenced; do
    echo "  $q:"
    sed 's/^/    /' "$OUT/explain-$q.txt"
  done
} | tee "$OUT/report.txt"
log "report: $OUT/report.txt"
exit "$FAILED"
