#!/usr/bin/env bash
# Peers side by side (issue 29, point 3): in one run, on the same households and at the same concurrency, the
# Power lookup by CNIC over HTTP (ours), a Redis GET of the same household JSON, and a PostgreSQL primary-key
# SELECT of the same JSON (pgbench, prepared statements); each peer's throughput as a ratio to ours.
#   loadtest/compare-peers.sh SNAPSHOT_DIR
# The JSON is fetched from our server (the very bytes a Power caller gets) for 20,000 CNICs drawn with a fixed seed,
# loaded into a throwaway redis-server (no persistence) and a throwaway PostgreSQL cluster (a table of id and JSON
# with its primary key), both on loopback. Installs Debian's redis-server and postgresql when missing (root then).
# Every client shares the machine with its server, as ours does: redis-benchmark (C, one thread), pgbench (C,
# --jobs 2) and our load generator (Java, closed loop). The rounds alternate the three, so each sees the same
# machine; the ratios are per round and overall.
# Environment: PORT (18090), REDIS_PORT (18091), PG_PORT (18092), CONNECTIONS (32), DURATION (20s), WARMUP (5s),
#   ROUNDS (2), JAVA_OPTS / LOCK_MEMORY / GC_LOG (the server, as run.sh), LT_JAVA_OPTS (the load generator).
set -euo pipefail
cd "$(dirname "$0")/.."
SNAP=${1:?usage: loadtest/compare-peers.sh SNAPSHOT_DIR}
[ -f "$SNAP/manifest.json" ] || { echo "no snapshot in $SNAP (index-builder generate --out $SNAP)" >&2; exit 2; }
PORT=${PORT:-18090}
REDIS_PORT=${REDIS_PORT:-18091}
PG_PORT=${PG_PORT:-18092}
CONNECTIONS=${CONNECTIONS:-32}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-5s}
ROUNDS=${ROUNDS:-2}
OUT=${OUT:-loadtest/target/compare-peers}
mkdir -p "$OUT" && OUT=$(cd "$OUT" && pwd)

install_missing() {
  command -v redis-server >/dev/null && command -v redis-benchmark >/dev/null && command -v pgbench >/dev/null \
    && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && return 0
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null && apt-get install -y -q redis-server postgresql >/dev/null
}
install_missing
PGBIN=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")
# PostgreSQL refuses to run as root: as root, its cluster runs as the postgres user (Debian's package makes it).
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

. loadtest/common.sh
java -jar index-builder/target/nser-index-builder.jar sample-ids "$SNAP" --count 20000 --seed 7 > "$OUT/ids.txt" 2>/dev/null
start_demo_server "$SNAP" "$PORT" "$OUT"
PEERS=$(mktemp -d /tmp/nser-peers.XXXXXX)
REDIS=""
cleanup() {
  [ -n "$REDIS" ] && kill "$REDIS" 2>/dev/null
  [ -f "$PEERS/pg/postmaster.pid" ] && as_postgres "$PGBIN/pg_ctl" -D "$PEERS/pg" -m immediate stop >/dev/null 2>&1
  rm -rf "$PEERS"
  kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null || true; rm -rf "$STATE"
}
trap cleanup EXIT

N=$(java loadtest/peers/PeerData.java "http://127.0.0.1:$PORT" demo-power-key "$OUT/ids.txt" "$OUT")
[ "$N" -gt 0 ] || { echo "no household found for the sampled CNICs" >&2; exit 1; }
AVG_BYTES=$(( $(wc -c < "$OUT/pg.csv") / N ))

redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$PEERS" > "$OUT/redis.log" 2>&1 &
REDIS=$!
for _ in $(seq 1 100); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
redis-cli -p "$REDIS_PORT" --pipe < "$OUT/redis.resp" > /dev/null
[ "$(redis-cli -p "$REDIS_PORT" dbsize)" = "$N" ] || { echo "Redis holds $(redis-cli -p "$REDIS_PORT" dbsize) keys, not $N" >&2; exit 1; }

mkdir -p "$PEERS/pg"
chmod 755 "$PEERS"
if [ "$(id -u)" = 0 ]; then chown postgres: "$PEERS/pg"; fi
as_postgres "$PGBIN/initdb" -D "$PEERS/pg" -U postgres -A trust > "$OUT/pg-init.log"
as_postgres "$PGBIN/pg_ctl" -D "$PEERS/pg" -l "$PEERS/pg/log" -w -o "-p $PG_PORT -k $PEERS/pg \
  -c listen_addresses=127.0.0.1 -c shared_buffers=512MB -c max_connections=$((CONNECTIONS + 10))" start > /dev/null
psql() { command psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 "$@"; }
psql -c 'CREATE TABLE household_json (i integer PRIMARY KEY, body text NOT NULL)'
psql -c "\\copy household_json FROM '$OUT/pg.csv' WITH (FORMAT csv)"
psql -c 'VACUUM ANALYZE household_json'
[ "$(psql -At -c 'SELECT count(*) FROM household_json')" = "$N" ] || { echo "PostgreSQL holds the wrong count" >&2; exit 1; }
printf '\\set i random(0, %d)\nSELECT body FROM household_json WHERE i = :i;\n' $((N - 1)) > "$OUT/pgbench.sql"

SECS=$(secs "$DURATION")
HZ=$(getconf CLK_TCK)
# cpu_ticks PID: the CPU a server process has used, its own and its reaped children's (PostgreSQL's postmaster reaps
# every backend that served a pgbench connection), in clock ticks.
cpu_ticks() { awk '{print $14 + $15 + $16 + $17}' "/proc/$1/stat"; }
{
  echo "# $(date -u +%FT%TZ)  snapshot=$SNAP  households=$N (JSON ${AVG_BYTES} B on average)  connections=$CONNECTIONS  duration=$DURATION x $ROUNDS rounds"
  server_line
  echo "# peers: $(redis-server --version | cut -d' ' -f1-3); PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') (shared_buffers 512MB, the table cached)"
} | tee "$OUT/report.txt"

# ours ROUND WARMUP / redis ROUND / pg ROUND SECONDS: one run each; prints "req/s p50_ms p99_ms server_cpu_us_per_request"
# (ours: completed requests only, so its runs after the first have no warm-up inside the CPU window).
ours() {
  local before
  before=$(cpu_ticks "$SERVER")
  # shellcheck disable=SC2086 # LT_JAVA_OPTS is a list of flags
  java ${LT_JAVA_OPTS:--XX:+UseZGC -Xms1g -Xmx1g} -jar loadtest/target/nser-loadtest.jar \
    --target "http://127.0.0.1:$PORT" --ids "$OUT/peer-ids.txt" --scenario partner-lookup --key demo-power-key \
    --unknown-share 0 --malformed-share 0 --closed --connections "$CONNECTIONS" --duration "$DURATION" \
    --warmup "$2" > "$OUT/ours-$1.txt"
  awk -v t="$(( $(cpu_ticks "$SERVER") - before ))" -v hz="$HZ" \
    '$1 == "partner-lookup" {printf "%s %s %s %.1f\n", $3, $4, $6, t / hz * 1e6 / $2}' "$OUT/ours-$1.txt"
}
redis() {
  local before
  before=$(cpu_ticks "$REDIS")
  redis-benchmark -p "$REDIS_PORT" -c "$CONNECTIONS" -n "$REDIS_REQUESTS" -r "$N" --csv GET 'h:__rand_int__' \
    > "$OUT/redis-$1.txt" 2>/dev/null
  awk -F'"' -v t="$(( $(cpu_ticks "$REDIS") - before ))" -v hz="$HZ" -v n="$REDIS_REQUESTS" \
    '$2 ~ /^GET/ {printf "%s %s %s %.1f\n", $4, $10, $14, t / hz * 1e6 / n}' "$OUT/redis-$1.txt" | tail -1
}
pg() {
  local before tps n
  before=$(cpu_ticks "$(head -1 "$PEERS/pg/postmaster.pid")")
  (cd "$PEERS" && pgbench -n -M prepared -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "$CONNECTIONS" -j 2 \
     -T "$2" -f "$OUT/pgbench.sql" -l --log-prefix="$PEERS/pgb-$1" postgres > "$OUT/pgbench-$1.txt" 2>&1)
  tps=$(awk '/^tps = / {print $3; exit}' "$OUT/pgbench-$1.txt")
  n=$(awk -F': ' '/actually processed/ {print $2; exit}' "$OUT/pgbench-$1.txt")
  cat "$PEERS"/pgb-"$1"* | awk '{print $3}' | sort -n > "$PEERS/lat"
  awk -v tps="$tps" -v n="$n" -v hz="$HZ" -v t="$(( $(cpu_ticks "$(head -1 "$PEERS/pg/postmaster.pid")") - before ))" \
    '{a[NR] = $1} END {printf "%s %.3f %.3f %.1f\n", tps, a[int(NR * 0.50)] / 1000, a[int(NR * 0.99)] / 1000, t / hz * 1e6 / n}' "$PEERS/lat"
  rm -f "$PEERS"/pgb-"$1"* "$PEERS/lat"
}

# Warm-up: one unrecorded run of ours (its JIT) and of each peer. redis-benchmark counts requests, not time: each round asks
# for as many as it answered in DURATION while warming up.
ours 0 "$WARMUP" > /dev/null
pg 0 5 > /dev/null
REDIS_REQUESTS=200000
REDIS_REQUESTS=$(redis 0 | awk -v s="$SECS" '{printf "%d", $1 * s}')
echo "round | ours req/s, p50, p99 ms, server CPU us/req | Redis GET (same) | PostgreSQL SELECT (same) | Redis/ours req/s | PostgreSQL/ours req/s | ours/Redis CPU per req | ours/PostgreSQL CPU per req" | tee -a "$OUT/report.txt"
echo "---|---|---|---|---:|---:|---:|---:" | tee -a "$OUT/report.txt"
: > "$OUT/rounds.txt"
for r in $(seq 1 "$ROUNDS"); do
  read -r o_rps o_p50 o_p99 o_cpu < <(ours "$r" 0s)
  read -r r_rps r_p50 r_p99 r_cpu < <(redis "$r")
  read -r p_rps p_p50 p_p99 p_cpu < <(pg "$r" "$SECS")
  echo "$o_rps $r_rps $p_rps $o_cpu $r_cpu $p_cpu" >> "$OUT/rounds.txt"
  awk -v r="$r" -v o="$o_rps" -v o50="$o_p50" -v o99="$o_p99" -v oc="$o_cpu" -v rr="$r_rps" -v r50="$r_p50" \
      -v r99="$r_p99" -v rc="$r_cpu" -v p="$p_rps" -v p50="$p_p50" -v p99="$p_p99" -v pc="$p_cpu" 'BEGIN {
    printf "%d | %.0f, %s, %s, %s | %.0f, %s, %s, %s | %.0f, %s, %s, %s | %.2f | %.2f | %.2f | %.2f\n",
      r, o, o50, o99, oc, rr, r50, r99, rc, p, p50, p99, pc, rr / o, p / o, oc / rc, oc / pc }' | tee -a "$OUT/report.txt"
done
awk -v c="$CONNECTIONS" '{o += $1; r += $2; p += $3; oc += $4; rc += $5; pc += $6} END {
  printf "all rounds (%s connections): throughput Redis %.2fx ours, PostgreSQL %.2fx ours; server CPU per request ours %.2fx Redis, %.2fx PostgreSQL\n", c, r / o, p / o, oc / rc, oc / pc}' \
  "$OUT/rounds.txt" | tee -a "$OUT/report.txt"
echo "report: $OUT/report.txt"
