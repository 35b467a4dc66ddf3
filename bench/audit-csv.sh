#!/usr/bin/env bash
# The billing audit's CSV on a month of EVENTS events (default 1,000,000) for one organization: the packaged
# agent runs on the embedded SQLite store with the sidecar JVM settings of bench/run.sh (-Xmx64m), the events
# are ingested in batches of 1000, then the CSV is downloaded while the agent's RSS is sampled. A CSV held in
# memory would not fit the heap; the figures say how long the download took and how the RSS moved.
# Usage: bench/audit-csv.sh (after ./mvnw package); EVENTS=200000 bench/audit-csv.sh for a shorter run.
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS=${EVENTS:-1000000}
JVM_OPTS="-Xms8m -Xmx64m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:MaxMetaspaceSize=96m -XX:ReservedCodeCacheSize=48m -Xss512k"
export MALLOC_ARENA_MAX=2
WORK=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
HTTP=$(free_port)
MGMT=$(free_port)
ORG=3f6b2c1e-8a7d-4e55-9c1b-2d4f6a8b0c9e
# shellcheck disable=SC2086
java $JVM_OPTS -Dagent.admin.token=bench-admin -Dagent.data-dir="$WORK/data" -Dagent.submission.enabled=false \
  -Dagent.reconciliation.enabled=false -Dquarkus.http.port="$HTTP" -Dquarkus.management.port="$MGMT" \
  -jar target/quarkus-app/quarkus-run.jar >"$WORK/agent.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
deadline=$((SECONDS + 60))
until curl -fs "http://127.0.0.1:$MGMT/q/health/ready" >/dev/null; do
  [ $SECONDS -lt $deadline ] || { cat "$WORK/agent.log"; exit 1; }
  sleep 0.2
done
rss() { awk '/VmRSS/ {printf "%.0f", $2/1024}' /proc/$PID/status; }

t0=$(date +%s.%N)
python3 - "$HTTP" "$EVENTS" "$ORG" <<'PY'
import http.client, json, sys, threading
port, total, org = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
batches = (total + 999) // 1000
def worker(k):
    c = http.client.HTTPConnection("127.0.0.1", port)
    for b in range(k, batches, 4):
        n = min(1000, total - b * 1000)
        body = json.dumps([{"eventId": f"csv-{b}-{i}", "organizationId": org,
                            "appId": "premium-minutes" if i % 4 else "premium-seats",
                            "quantity": (b * 7 + i) % 1000 / 8} for i in range(n)])
        while True:
            c.request("POST", "/v1/usage-events", body, {"Content-Type": "application/json"})
            r = c.getresponse(); r.read()
            if r.status == 202:
                break
            if r.status != 503:
                raise SystemExit(f"ingest answered {r.status}")
threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
[t.start() for t in threads]; [t.join() for t in threads]
PY
t1=$(date +%s.%N)
idle=$(rss)
peak=$idle
(while kill -0 $PID 2>/dev/null; do r=$(rss); [ "$r" -gt "$(cat "$WORK/peak" 2>/dev/null || echo 0)" ] && echo "$r" >"$WORK/peak"; sleep 0.1; done) &
SAMPLER=$!
t2=$(date +%s.%N)
rows=$(curl -fs -H 'Authorization: Bearer bench-admin' -H 'Accept: text/csv' \
  "http://127.0.0.1:$HTTP/v1/organizations/$ORG/usage?period=$(date -u +%Y-%m)" | tee "$WORK/usage.csv" | wc -l)
t3=$(date +%s.%N)
kill $SAMPLER 2>/dev/null || true
peak=$(cat "$WORK/peak" 2>/dev/null || echo "$idle")
size=$(du -m "$WORK/usage.csv" | cut -f1)
python3 - "$EVENTS" "$t0" "$t1" "$t2" "$t3" "$rows" "$idle" "$peak" "$size" <<'PY'
import sys
events, t0, t1, t2, t3, rows, idle, peak, size = sys.argv[1:]
events, rows = int(events), int(rows)
print("| events | ingest (s) | CSV rows | CSV size (MiB) | download (s) | rows/s | RSS before (MiB) | RSS peak during (MiB) |")
print("|---|---|---|---|---|---|---|---|")
print(f"| {events:,} | {float(t1)-float(t0):.1f} | {rows-1:,} | {size} | {float(t3)-float(t2):.1f} "
      f"| {(rows-1)/(float(t3)-float(t2)):,.0f} | {idle} | {peak} |")
if rows - 1 != events:
    raise SystemExit(f"FAIL: {rows-1} rows for {events} events")
PY
