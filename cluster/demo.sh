#!/usr/bin/env bash
# Two replicas sharing one update log (issue 27): a development Kafka broker and two servers on the demo snapshot;
# with PostgreSQL's binaries installed (Debian's postgresql), a throwaway audit database too (issue 28: the cluster's
# access log, usage and quotas; cluster/postgres.sh).
#   cluster/demo.sh            (from the repository root; builds the jars first if they are missing)
# Prints the broker's bootstrap address and the replicas' URLs; Ctrl-C stops all three. State under demo-data/cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -f cluster/target/nser-dev-kafka.jar || ! -f server/target/nser-server.jar ]]; then
  ./mvnw -q -DskipTests package
fi
STATE=demo-data/cluster
mkdir -p "$STATE"
PIDS=()
PG_DIR=
stop() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true
  if [[ -n "$PG_DIR" ]]; then cluster/postgres.sh stop "$PG_DIR" || true; fi
}
trap stop EXIT INT TERM

# waits for a line starting with $2 in file $1 (the child's output), for at most $3 seconds
await() {
  for _ in $(seq 1 "$(( $3 * 10 ))"); do
    if grep -q "^$2" "$1" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "not $2 after $3 s; see $1" >&2; exit 1
}

java -Xmx384m -jar cluster/target/nser-dev-kafka.jar --dir "$STATE/kafka" --port "${KAFKA_PORT:-0}" \
  > "$STATE/kafka.out" 2> "$STATE/kafka.log" &
PIDS+=($!)
await "$STATE/kafka.out" "ready " 120
BOOTSTRAP=$(sed -n 's/^ready //p' "$STATE/kafka.out")
echo "kafka: $BOOTSTRAP (log $STATE/kafka.log)"

AUDIT=()
if ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || [[ -n "${PG_BIN:-}" ]]; then
  PG_DIR="$STATE/postgres"
  PG_URL=$(cluster/postgres.sh start "$PG_DIR" "${PG_PORT:-55432}" | sed -n 's/^ready //p')
  AUDIT=(--postgres "$PG_URL")
  echo "postgres: $PG_URL (psql -h 127.0.0.1 -p ${PG_PORT:-55432} -U nser nser; table access)"
else
  echo "no PostgreSQL binaries: replicas without an audit database (apt-get install postgresql for one)"
fi

# one after the other: the first builds the demo snapshot on first run
for n in 1 2; do
  port=$(( ${PORT_BASE:-8080} + n ))
  java -jar server/target/nser-server.jar --demo --port "$port" --kafka "$BOOTSTRAP" --node-id "replica-$n" \
    --updates "$STATE/replica-$n.updates" --journal "$STATE/replica-$n.journal" \
    --feedback "$STATE/replica-$n.feedback" --agreements "$STATE/replica-$n.agreements" \
    --exchange "$STATE/replica-$n.exchange" "${AUDIT[@]}" \
    > "$STATE/replica-$n.log" 2>&1 &
  PIDS+=($!)
  await "$STATE/replica-$n.log" "ready: " 300
  echo "replica-$n: http://127.0.0.1:$port (log $STATE/replica-$n.log)"
done
echo "an update through one replica is read on the other; its Registry-Position header, sent back as"
echo "Registry-Min-Position, makes the other wait until it has applied it. Ctrl-C stops all three."
wait
