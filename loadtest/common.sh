# Sourced by the load-test scripts from the repository root.

# Builds the jars when one is missing or older than any source, pom or configuration file, so a run never
# measures stale code.
jars_fresh() {
  for j in index-builder/target/nser-index-builder.jar server/target/nser-server.jar loadtest/target/nser-loadtest.jar; do
    [ -f "$j" ] || return 1
    [ -z "$(find pom.xml ./*/pom.xml ./*/src/main config -newer "$j" -print -quit)" ] || return 1
  done
}
# Two scripts started together build once: the second waits for the first's build, then finds the jars fresh.
if command -v flock > /dev/null 2>&1; then
  ( flock 9; jars_fresh || ./mvnw -q -B -DskipTests package ) 9> "${TMPDIR:-/tmp}/nser-jars.lock"
else
  jars_fresh || ./mvnw -q -B -DskipTests package
fi

# await_ready PORT PID LOG: waits (up to an hour) until the server answers /health/ready; if it exits first, shows
# its log and stops the script.
await_ready() {
  for _ in $(seq 1 3600); do
    curl -sf "http://127.0.0.1:$1/health/ready" >/dev/null 2>&1 && return 0
    kill -0 "$2" 2>/dev/null || { cat "$3"; exit 1; }
    sleep 1
  done
  echo "server on port $1 not ready after an hour" >&2
  exit 1
}

# state_dir BASE: a fresh directory under BASE (on disk, never a tmpfs, where fsync would cost nothing) for a run's
# update journal, access log and purchase journal, so runs never accumulate state nor write beside the snapshot.
# Prints its path; the caller removes it.
state_dir() {
  local dir fs
  dir=$(mktemp -d "$1/run.XXXXXX")
  fs=$(stat -f -c %T "$dir")
  if [ "$fs" = tmpfs ] || [ "$fs" = ramfs ]; then
    rm -rf "$dir"
    echo "the journals would be on $fs, where fsync costs nothing; choose a directory on disk" >&2
    return 1
  fi
  echo "$dir"
}

# prepare HOUSEHOLDS SNAPSHOT_DIR OUT: the report directory, the snapshot (generated when missing; an existing one is
# only read) and 20,000 of its CNICs, drawn with a fixed seed, in OUT/ids.txt.
prepare() {
  local ib=index-builder/target/nser-index-builder.jar
  mkdir -p "$3"
  [ -f "$2/manifest.json" ] || java -jar "$ib" generate --households "$1" --seed 1 --out "$2"
  java -jar "$ib" sample-ids "$2" --count 20000 --seed 7 > "$3/ids.txt" 2>/dev/null
}

# The server's JVM and collector, chosen by measurement (loadtest/collectors.sh, issue 29 point 2; BENCHMARKS.md,
# "Collectors"): generational Shenandoah on Temurin 25 where that JDK is installed (the shortest tails, ~20% more
# CPU), otherwise ZGC on the PATH's java (JDK 17: the runner-up). SERVER_JAVA and JAVA_OPTS override them.
T25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
SERVER_JAVA=${SERVER_JAVA:-$([ -x "$T25" ] && echo "$T25" || echo java)}
if "$SERVER_JAVA" -XX:+UseShenandoahGC -XX:ShenandoahGCMode=generational -version > /dev/null 2>&1; then
  SERVER_GC="-XX:+UseShenandoahGC -XX:ShenandoahGCMode=generational"
else
  SERVER_GC="-XX:+UseZGC"
fi
SERVER_OPTS="-Xms2g -Xmx2g -XX:+AlwaysPreTouch $SERVER_GC"

# start_demo_server SNAPSHOT_DIR PORT OUT: starts the server on the demo configuration, its access log, update and
# purchase journals in a fresh state directory under OUT, its log in OUT/server.log, with JAVA_OPTS (default
# SERVER_OPTS: a fixed 2 GiB heap, pre-touched, the chosen collector), SERVER_EVENT_LOOPS event loops when set (--event-loops; otherwise one per core) and the
# snapshot locked in memory unless LOCK_MEMORY=0, and its collections logged to OUT/server-gc.log (wall-clock times,
# to set beside the load generator's --timeline) unless GC_LOG=0; waits until it is ready. SERVER_JAR overrides the
# server's jar (loadtest/ladder.sh), SERVER_JAVA its java (default: the chosen one above). Sets SERVER (its pid) and STATE; on exit the server is stopped and
# STATE removed.
start_demo_server() {
  STATE=$(state_dir "$3")
  trap 'rm -rf "$STATE"' EXIT
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of flags
  "$SERVER_JAVA" ${JAVA_OPTS:-$SERVER_OPTS} \
    $([ "${GC_LOG:-1}" = 1 ] && echo "-Xlog:gc:file=$3/server-gc.log:time,uptime") \
    -jar "${SERVER_JAR:-server/target/nser-server.jar}" --demo --snapshot "$1" \
    --port "$2" --journal "$STATE/access-log" --updates "$STATE/updates" --feedback "$STATE/feedback" \
    $([ "${LOCK_MEMORY:-1}" = 1 ] && echo --lock-memory) \
    ${SERVER_EVENT_LOOPS:+--event-loops "$SERVER_EVENT_LOOPS"} > "$3/server.log" 2>&1 &
  SERVER=$!
  trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true; rm -rf "$STATE"' EXIT
  await_ready "$2" "$SERVER" "$3/server.log"
}

# server_line: how the server runs, for a report's header: its JVM flags and event loops.
server_line() {
  echo "# server JVM: $SERVER_JAVA ${JAVA_OPTS:-$SERVER_OPTS}; event loops: ${SERVER_EVENT_LOOPS:-one per core} ($(nproc) cores)"
}

# secs DURATION: a duration as the load generator takes it (20s, 2m, 500ms), in whole seconds.
secs() {
  case "$1" in
    *ms) echo 0 ;;
    *s) echo "${1%s}" ;;
    *m) echo $(( ${1%m} * 60 )) ;;
    *) echo "$1" ;;
  esac
}

# baseline_row A B SCENARIO FILE: one row for baseline_rows from a --baseline run's output in FILE: A and B (two
# labels, e.g. pass and step), the scenario's req/s, /health/live's req/s and the ratio line.
baseline_row() {
  echo "$1 $2 $(awk -v s="$3" '$1 == s {print $3}' "$4") $(awk '/^baseline / {print $4}' "$4") $(grep '^ratio ' "$4")"
}

# baseline_rows FILE: baseline_row's rows as a markdown table's body: A | B | req/s | /health/live req/s |
# ratio (per round).
baseline_rows() {
  awk '{ratio = $10; sub(",", "", ratio); rounds = $0; sub(/.*\(rounds: /, "", rounds); sub(/\)$/, "", rounds)
        printf "%s | %s | %s | %s | %s (%s)\n", $1, $2, $3, $4, ratio, rounds}' "$1"
}
