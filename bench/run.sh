#!/usr/bin/env bash
# Benchmark harness: for each store (SQLite, the embedded default, and PostgreSQL) it packages the agent,
# starts it as a process with a 64 MiB heap, and measures in one run, on this machine:
#   - start-up to ready against two floors built here and started with the same JVM options: a bare Quarkus
#     REST application (bench/floor, one endpoint, no datasource) and the stack floor, an application with the
#     agent's extensions, one entity and one migration (bench/stack-floor); RSS idle and after load,
#     heap used, size of the application;
#   - single-event ingest (1/4/16/64 keep-alive connections) and batch ingest (100 and 1000 events a
#     request) with wrk, against the HTTP ceiling of the same build (OPTIONS on the ingest path: the
#     HTTP stack without the store);
#   - the storage ceilings: raw JDBC inserts of outbox rows into the same store (bench/JdbcCeiling.java), in
#     batches of 1000 and one row per commit (on SQLite with synchronous=FULL: one sync per commit);
#   - planning 1,000,000 pending events into records and sending them to a fast fake upstream, and
#     confirming one record of 1,000,000 events (PlanningBench, through Maven);
#   - the POSTs the submitter spends on a backfill of a closed hour, a high-water-mark day with three new
#     peaks and a 10-hour backlog of 2,000 pairs, with the drain time (PlanningScenariosBench).
# It prints Markdown tables. Usage: bench/run.sh   (STORES="sqlite" bench/run.sh for one store)
# Environment: STORES (default "sqlite postgresql"), DURATION (s per wrk line, default 10), XMX (default 64m),
# PLAN_EVENTS (default 1000000), START_RUNS (restarts of the agent and of the stack floor, interleaved, default 7).
# Needs root for PostgreSQL (installed from Debian when missing) and wrk.
set -euo pipefail
cd "$(dirname "$0")/.."
STORES=${STORES:-"sqlite postgresql"}
DURATION=${DURATION:-10}
XMX=${XMX:-64m}
PLAN_EVENTS=${PLAN_EVENTS:-1000000}
START_RUNS=${START_RUNS:-7}
# The JVM settings the deployment files recommend for a small sidecar (see docs/performance.md).
JVM_OPTS="-Xms8m -Xmx$XMX -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:MaxMetaspaceSize=96m -XX:ReservedCodeCacheSize=48m -Xss512k"
export MALLOC_ARENA_MAX=2
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq --no-install-recommends wrk >/dev/null; }
source .ci/postgres.sh
WORK=$(mktemp -d)
PID=""
stop_agent() { if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; PID=""; fi; }
trap 'stop_agent; pg_down; cat "$WORK/figures.md" "$WORK/wrk.md" >&2 2>/dev/null || true; rm -rf "$WORK"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
rss() { awk '/VmRSS/ {printf "%.0f", $2/1024}' /proc/$PID/status; }
heap() { curl -fs "http://127.0.0.1:$MGMT/q/metrics" -H 'Accept: text/plain' \
  | awk '/^jvm_memory_used_bytes\{.*area="heap"/ {s+=$NF} END {printf "%.0f", s/1048576}'; }

median() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
ratio() { awk -v a="$(median "$1")" -v b="$(median "$2")" 'BEGIN {printf "%.2f (%s ms / %s ms)", a/b, a, b}'; }

await_up() { # pid, url, log, launch time (ns); sets READY (ms from launch to the first 2xx of the url)
  until curl -fs "$2" >/dev/null 2>&1; do
    kill -0 "$1" 2>/dev/null || { echo "the process exited:"; tail -20 "$3"; exit 1; }
    sleep 0.02
  done
  READY=$(( ($(date +%s%N) - $4) / 1000000 ))
}

start_agent() { # extra JVM options; sets PID and READY (ms from launch to ready)
  local t0; t0=$(date +%s%N)
  java $JVM_OPTS "$@" -Dquarkus.http.port=$HTTP -Dquarkus.management.port=$MGMT -Dagent.data-dir="$DATA" \
    -Dquarkus.datasource.jdbc.url="$DB_URL" -Dquarkus.datasource.username=$DB_USER \
    -Dagent.submission.enabled=false -jar target/quarkus-app/quarkus-run.jar >> "$WORK/agent-$STORE.log" 2>&1 &
  PID=$!
  await_up $PID "http://127.0.0.1:$MGMT/q/health/ready" "$WORK/agent-$STORE.log" "$t0"
}

measure() { # name, connections, wrk script
  local name=$1 conns=$2 script=$3 out threads=2 target
  [ "$conns" -lt 2 ] && threads=1
  target="$URL"
  [ "$script" = "options.lua" ] && target="$URL/v1/usage-events"
  out=$(RUN="r$RANDOM$RANDOM" wrk -t"$threads" -c"$conns" -d"${DURATION}s" --latency -s "bench/$script" "$target")
  local rps p50 p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$STORE" "$name" "$conns" "$rps" "$p50" "$p99" "${non2xx:-0}" >> "$WORK/wrk.md"
}

# the start-up floors, three starts each, with and without their own class-data archive: a bare Quarkus REST
# application (bench/floor), and the stack floor, an application with the agent's extensions, one entity and one
# migration on SQLite (bench/stack-floor): what the agent's own start-up adds is measured against the second
./mvnw -B -q -f bench/floor/pom.xml package -DskipTests
./mvnw -B -q -f bench/stack-floor/pom.xml package -DskipTests
start_floor() { # jar, extra JVM options; sets FLOOR_READY (ms from launch to the first answer of /hello)
  local jar=$1; shift
  local t0 port mport fpid; t0=$(date +%s%N); port=$(free_port); mport=$(free_port)
  mkdir -p "$WORK/floor-data"
  java $JVM_OPTS "$@" -Dquarkus.http.port=$port -Dquarkus.management.port=$mport -Dfloor.data-dir="$WORK/floor-data" \
    -jar "$jar" >> "$WORK/floor.log" 2>&1 &
  fpid=$!
  await_up $fpid "http://127.0.0.1:$port/hello" "$WORK/floor.log" "$t0"
  FLOOR_READY=$READY
  kill $fpid; wait $fpid 2>/dev/null || true
}
for floor in floor stack-floor; do
  JAR=bench/$floor/target/quarkus-app/quarkus-run.jar
  rm -rf "$WORK/floor-data" # the first start creates the store (the archive's training start); the others restart on it
  start_floor $JAR -XX:ArchiveClassesAtExit="$WORK/$floor.jsa"
  PLAIN=""; CDS=""
  for i in 1 2 3; do
    start_floor $JAR; PLAIN="$PLAIN ${FLOOR_READY}"
    start_floor $JAR -XX:SharedArchiveFile="$WORK/$floor.jsa"; CDS="$CDS ${FLOOR_READY}"
  done
  echo "| $floor | start to first answer, three times: plain / with its class-data archive | ${PLAIN# } ms / ${CDS# } ms |" >> "$WORK/figures.md"
done

for STORE in $STORES; do
  echo "=== $STORE" >&2
  PROFILE=""; DB_USER=vendorusage; DATA="$WORK/data-$STORE"
  if [ "$STORE" = postgresql ]; then
    PROFILE="-Ppostgresql"
    pg_up
    DB_URL="$PG_URL"
  else
    DB_URL="jdbc:sqlite:$DATA/vendorusage.db"
  fi
  # always package: the jar is built for one store
  ./mvnw -B -q package -DskipTests $PROFILE
  HTTP=$(free_port); MGMT=$(free_port)
  start_agent
  READY_MS=$READY
  sleep 2
  RSS_IDLE=$(rss); HEAP_IDLE=$(heap)
  URL="http://127.0.0.1:$HTTP"
  for c in 1 4 16 64; do measure "HTTP ceiling (OPTIONS, no store)" $c options.lua; done
  for c in 1 4 16 64; do measure "single-event ingest" $c single.lua; done
  BATCH=100 measure "batch ingest, 100 events/request" 4 batch.lua
  BATCH=1000 measure "batch ingest, 1000 events/request" 2 batch.lua
  RSS_LOAD=$(rss); HEAP_LOAD=$(heap)
  STORED=$(curl -fs "http://127.0.0.1:$MGMT/q/metrics" -H 'Accept: text/plain' | awk '/^vendorusage_events_ingested_total/ {s+=$2} END {printf "%.0f", s}')
  stop_agent

  # start-up again, plain and with the class-data archive (JDK 17 AppCDS, docs/performance.md): the archive the package phase made (src/main/cds/CdsTraining.java), as the README's run command uses it; the
  # PostgreSQL build makes none (no store at build time), so a training start of the same kind makes it here
  ARCHIVE="$PWD/target/quarkus-app/app.jsa"
  if [ ! -f "$ARCHIVE" ]; then
    ARCHIVE="$WORK/app-$STORE.jsa"; start_agent -XX:ArchiveClassesAtExit="$ARCHIVE"; stop_agent
  fi
  # on SQLite each restart is paired with a start of the stack floor (its store in floor-data, its archive made
  # above): this machine's speed drifts by tens of percent within minutes, so only starts taken side by side
  # are compared
  RESTARTS=""; CDS_RESTARTS=""; SF_PLAIN=""; SF_CDS=""
  for i in $(seq "$START_RUNS"); do
    start_agent; RESTARTS="$RESTARTS ${READY}"; stop_agent
    start_agent -XX:SharedArchiveFile="$ARCHIVE"; CDS_RESTARTS="$CDS_RESTARTS ${READY}"; stop_agent
    if [ "$STORE" = sqlite ]; then
      start_floor bench/stack-floor/target/quarkus-app/quarkus-run.jar; SF_PLAIN="$SF_PLAIN ${FLOOR_READY}"
      start_floor bench/stack-floor/target/quarkus-app/quarkus-run.jar -XX:SharedArchiveFile="$WORK/stack-floor.jsa"
      SF_CDS="$SF_CDS ${FLOOR_READY}"
    fi
  done

  # storage ceiling: the same store, the agent's schema and INSERT, no HTTP
  ceiling() { # rows, rows per commit (SQLite: a fresh file each time; PostgreSQL: a fresh schema)
    local url="$DB_URL"
    [ "$STORE" = sqlite ] && url="jdbc:sqlite:$WORK/ceiling-$2/vendorusage.db"
    java -cp "target/classes:target/quarkus-app/lib/main/*" bench/JdbcCeiling.java "$url" $DB_USER "" "$1" "$2"
  }
  CEIL_1000=$(ceiling 200000 1000)
  CEIL_1=$(ceiling 5000 1)

  # planning and sending: the submitter's own code inside a @QuarkusTest
  PLAN_ENV=(); EVENTS=$PLAN_EVENTS
  if [ "$STORE" = postgresql ]; then # a database of its own: the wrk runs left half a million events
    runuser -u postgres -- "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -q \
      -c "CREATE DATABASE vendorusage_plan OWNER vendorusage"
    PLAN_ENV=(QUARKUS_DATASOURCE_JDBC_URL="${PG_URL}_plan" QUARKUS_DATASOURCE_USERNAME=vendorusage)
  fi
  PLAN=$(env "${PLAN_ENV[@]}" ./mvnw -B test -Pbench $PROFILE -Dtest='PlanningBench,PlanningScenariosBench' \
    -Dbench.events=$EVENTS | grep '^bench:' || echo "bench: PlanningBench or PlanningScenariosBench failed")
  [ "$STORE" = postgresql ] && pg_down

  {
    echo "| $STORE | start-up to ready: first start (schema created) | ${READY_MS} ms |"
    echo "| $STORE | restart to ready, $START_RUNS times: plain / with the class-data archive | ${RESTARTS# } ms / ${CDS_RESTARTS# } ms |"
    if [ "$STORE" = sqlite ]; then
      echo "| $STORE | the stack floor started beside each restart: plain / with its archive | ${SF_PLAIN# } ms / ${SF_CDS# } ms |"
      echo "| $STORE | agent ÷ stack floor, medians: plain / with the archives | $(ratio "$RESTARTS" "$SF_PLAIN") / $(ratio "$CDS_RESTARTS" "$SF_CDS") |"
    fi
    echo "| $STORE | RSS idle / after load (-Xmx$XMX) | ${RSS_IDLE} MiB / ${RSS_LOAD} MiB |"
    echo "| $STORE | heap used idle / after load | ${HEAP_IDLE} MiB / ${HEAP_LOAD} MiB |"
    echo "| $STORE | events stored by the wrk runs | ${STORED} |"
    echo "| $STORE | JDBC ceiling: batches of 1000 rows, one commit each | ${CEIL_1000} rows/s |"
    echo "| $STORE | JDBC ceiling: one row per commit | ${CEIL_1} rows/s |"
    while IFS= read -r line; do echo "| $STORE | planning | ${line#bench: } |"; done <<<"$PLAN"
  } >> "$WORK/figures.md"
done

echo "| store | measurement | connections | requests/s | p50 | p99 | non-2xx |"
echo "|---|---|---|---|---|---|---|"
cat "$WORK/wrk.md"
echo
echo "| store | figure | value |"
echo "|---|---|---|"
cat "$WORK/figures.md"
echo "| all | application size (target/quarkus-app) | $(du -sm target/quarkus-app | cut -f1) MiB |"
echo "| all | machine | $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1) |"
echo "| all | JVM options | $JVM_OPTS, MALLOC_ARENA_MAX=2 |"
