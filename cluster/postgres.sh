#!/usr/bin/env bash
# A throwaway PostgreSQL for tests and cluster/demo.sh (issue 28): Debian's packaged binaries, a cluster of its own
# in DIR, listening on 127.0.0.1:PORT only, trust authentication for the one user 'nser', database 'nser'.
#   cluster/postgres.sh start DIR PORT   -> prints 'ready jdbc:postgresql://127.0.0.1:PORT/nser?user=nser'
#   cluster/postgres.sh stop DIR         (fast shutdown; DIR stays, 'start DIR PORT' again resumes it)
# initdb refuses root: as root, the cluster runs as the 'postgres' user (or 'nobody'), DIR chowned to it.
set -euo pipefail
cmd=${1:?start|stop}; dir=${2:?DIR}
bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
if [[ -z "$bin" || ! -x "$bin/pg_ctl" ]]; then
  echo "no PostgreSQL binaries (apt-get install postgresql, or set PG_BIN)" >&2; exit 2
fi
as=()
if [[ $(id -u) == 0 ]]; then
  user=postgres; id "$user" >/dev/null 2>&1 || user=nobody
  as=(runuser -u "$user" --)
fi
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
if [[ ${#as[@]} -gt 0 ]]; then chown "$user" "$dir"; chmod 700 "$dir"; fi
case "$cmd" in
  start)
    port=${3:?PORT}
    if [[ ! -f "$dir/data/PG_VERSION" ]]; then
      "${as[@]}" "$bin/initdb" -D "$dir/data" -U nser -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=100" start >/dev/null \
      || { tail -20 "$dir/postgres.log" >&2; exit 1; }
    "${as[@]}" "$bin/psql" -h 127.0.0.1 -p "$port" -U nser -d postgres -tAq \
      -c "SELECT 1 FROM pg_database WHERE datname = 'nser'" | grep -q 1 \
      || "${as[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U nser nser
    echo "ready jdbc:postgresql://127.0.0.1:$port/nser?user=nser"
    ;;
  stop)
    "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    ;;
  *) echo "start|stop" >&2; exit 2 ;;
esac
