#!/usr/bin/env bash
# Benchmark harness (first slice): starts the packaged agent (H2, -Xmx64m) and measures, in one run,
# start-up, memory, single-event and batch ingest with wrk, against the HTTP ceiling of the same build
# (OPTIONS on the same path: the HTTP stack without the store). Prints a Markdown table.
#   bench/run.sh            (builds the jar first if target/quarkus-app is missing)
# Environment: DURATION (s per measurement, default 10), XMX (default 64m).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10}
XMX=${XMX:-64m}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq --no-install-recommends wrk >/dev/null; }
# always package: a jar left by a -Ppostgresql build would not start on the embedded store
./mvnw -B -q package -DskipTests
WORK=$(mktemp -d)
PID=""
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
HTTP=$(free_port); MGMT=$(free_port)
rss() { awk '/VmRSS/ {printf "%.0f", $2/1024}' /proc/$PID/status; }

t0=$(date +%s%N)
java -Xmx$XMX -Dquarkus.http.port=$HTTP -Dquarkus.management.port=$MGMT -Dagent.data-dir="$WORK/data" \
  -Dagent.submission.enabled=false -jar target/quarkus-app/quarkus-run.jar > "$WORK/agent.log" 2>&1 &
PID=$!
until curl -fs "http://127.0.0.1:$MGMT/q/health/ready" >/dev/null 2>&1; do
  kill -0 $PID 2>/dev/null || { echo "the agent exited:"; tail -20 "$WORK/agent.log"; exit 1; }
  sleep 0.05
done
READY_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
sleep 2
RSS_IDLE=$(rss)
URL="http://127.0.0.1:$HTTP"

measure() { # name, connections, wrk script
  local name=$1 conns=$2 script=$3 out threads=2
  [ "$conns" -lt 2 ] && threads=1
  if [ "$script" = "options.lua" ]; then
    out=$(wrk -t"$threads" -c"$conns" -d"${DURATION}s" --latency -s bench/options.lua "$URL/v1/usage-events")
  else
    out=$(RUN="r$RANDOM$RANDOM" wrk -t"$threads" -c"$conns" -d"${DURATION}s" --latency -s "bench/$script" "$URL")
  fi
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  local non2xx
  non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  printf '| %s | %s | %s | %s | %s | %s |\n' "$name" "$conns" "$rps" "$p50" "$p99" "${non2xx:-0}"
}

echo "| measurement | connections | requests/s | p50 | p99 | non-2xx |"
echo "|---|---|---|---|---|---|"
for c in 1 4 16; do measure "HTTP ceiling (OPTIONS, no store)" $c options.lua; done
for c in 1 4 16; do measure "single-event ingest" $c single.lua; done
BATCH=100 measure "batch ingest, 100 events/request" 4 batch.lua
BATCH=1000 measure "batch ingest, 1000 events/request" 2 batch.lua
RSS_LOAD=$(rss)
STORED=$(curl -fs "http://127.0.0.1:$MGMT/q/metrics" -H 'Accept: text/plain' | awk '/^vendorusage_events_ingested_total / {printf "%.0f", $2}')
echo
echo "| figure | value |"
echo "|---|---|"
echo "| start-up to ready | ${READY_MS} ms |"
echo "| RSS idle / after load (-Xmx$XMX) | ${RSS_IDLE} MiB / ${RSS_LOAD} MiB |"
echo "| events stored during the run | ${STORED} |"
echo "| application size (target/quarkus-app) | $(du -sm target/quarkus-app | cut -f1) MiB |"
echo "| machine | $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1) |"
