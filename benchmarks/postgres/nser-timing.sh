#!/usr/bin/env bash
# The server side of compare.sh, measured like PostgreSQL's pgbench -c 1: one connection, closed loop, after a
# warm-up, with the load generator. Usage (compare.sh calls it): nser-timing.sh count|first_page URL
# Environment: API_KEY, BENCH_SECONDS (30).
set -euo pipefail
cd "$(dirname "$0")/../.."
URL=$2
TARGET=$(printf %s "$URL" | sed -E 's#^(https?://[^/]+).*#\1#')
PATHQ=${URL#"$TARGET"}
java -jar loadtest/target/nser-loadtest.jar --target "$TARGET" --scenario get --path "$PATHQ" --key "$API_KEY" \
  --closed --connections 1 --warmup 10s --duration "${BENCH_SECONDS:-30}s" --summary | tail -n 1
