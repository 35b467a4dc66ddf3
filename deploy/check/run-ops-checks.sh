#!/usr/bin/env bash
# Checks the operations kit against real tools: promtool on the Prometheus config and alert rules
# (with their unit tests), the Kubernetes manifests against the Kubernetes schemas, the compose file,
# and every PromQL expression of the dashboard and the rules on a real Prometheus scraping a running
# agent under a small load. Needs the packaged agent (target/quarkus-app, built for SQLite).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
log() { printf '\n--- %s\n' "$*"; }

if ! command -v promtool >/dev/null || ! command -v prometheus >/dev/null; then
  log "installing Prometheus (Debian package)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends prometheus >/dev/null
fi
python3 -c 'import yaml' 2>/dev/null || { apt-get install -y -qq python3-yaml >/dev/null; }

log "promtool: config, rules, rule unit tests"
promtool check config deploy/prometheus/prometheus.yml
promtool check rules deploy/prometheus/rules/vendorusage-alerts.yml
promtool test rules deploy/prometheus/rules/vendorusage-alerts.test.yml

WORK=$(mktemp -d)
AGENT_PID=""
PROM_PID=""
cleanup() {
  [ -n "$PROM_PID" ] && kill "$PROM_PID" 2>/dev/null || true
  [ -n "$AGENT_PID" ] && kill "$AGENT_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

log "Kubernetes manifests against the Kubernetes schemas (kubernetes-models from npm)"
(cd "$WORK" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund \
  kubernetes-models@4 @kubernetes-models/prometheus-operator yaml@2 >/dev/null)
cp deploy/check/validate-k8s.mjs "$WORK/"
(cd "$WORK" && node validate-k8s.mjs "$ROOT"/deploy/kubernetes/*.yaml)

log "compose file"
python3 - <<'PY'
import os, yaml
path = 'deploy/compose/compose.yaml'
doc = yaml.safe_load(open(path))
base = os.path.dirname(path)
assert set(doc['services']) == {'agent', 'prometheus', 'grafana'}, doc['services'].keys()
for name, svc in doc['services'].items():
    for v in svc.get('volumes', []):
        src = v.split(':')[0]
        if src.startswith('.'):
            assert os.path.exists(os.path.join(base, src)), f'{name}: {src} does not exist'
    b = svc.get('build')
    if b:
        assert os.path.exists(os.path.join(base, b['context'], b['dockerfile'])), 'Dockerfile missing'
print('compose: 3 services, every mounted path and the Dockerfile exist')
PY

log "Dockerfile: every COPY source exists in the packaged application"
grep -E '^COPY ' src/main/docker/Dockerfile.jvm | awk '{print $3}' | while read -r src; do
  ls -d $src >/dev/null || { echo "FAIL Dockerfile.jvm copies $src, which the build does not produce"; exit 1; }
done
echo "Dockerfile.jvm: $(grep -cE '^COPY ' src/main/docker/Dockerfile.jvm) COPY sources present (no Docker engine here to build the image)"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
HTTP=$(free_port); MGMT=$(free_port); PROM=$(free_port)

log "agent with the sandbox upstream on 127.0.0.1:$HTTP (management $MGMT)"
java -Xmx128m -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$HTTP" -Dquarkus.management.port="$MGMT" \
  -Dagent.data-dir="$WORK/data" -Dagent.sandbox.enabled=true -Dagent.admin.token=ops-check \
  -Dagent.apps.\"premium-minutes\".mode=sum -Dagent.apps.\"premium-seats\".mode=high-water-mark \
  -Dagent.outbox.stats-interval=PT1S -Dagent.submission.interval=PT2S \
  -Dagent.reconciliation.regions=us-east-1 -Dagent.reconciliation.interval=PT10S \
  -jar target/quarkus-app/quarkus-run.jar > "$WORK/agent.log" 2>&1 &
AGENT_PID=$!
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$MGMT/q/health/ready" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fs "http://127.0.0.1:$MGMT/q/health/ready" >/dev/null

cat > "$WORK/prometheus.yml" <<YML
global: { scrape_interval: 1s, evaluation_interval: 1s }
rule_files: [ "$ROOT/deploy/prometheus/rules/vendorusage-alerts.yml" ]
scrape_configs:
  - job_name: vendorusage-agent
    metrics_path: /q/metrics
    static_configs: [ { targets: [ "127.0.0.1:$MGMT" ] } ]
YML
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/tsdb" \
  --web.listen-address="127.0.0.1:$PROM" > "$WORK/prometheus.log" 2>&1 &
PROM_PID=$!

log "small load for 20 s: events, a refused request, flushes, reconciliations"
ORG=3f6b2c1e-8a7d-4e55-9c1b-2d4f6a8b0c9e
for round in $(seq 1 20); do
  curl -fs -o /dev/null -X POST "http://127.0.0.1:$HTTP/v1/usage-events" -H 'Content-Type: application/json' -d "[
    {\"eventId\":\"ops-$round-a\",\"organizationId\":\"$ORG\",\"appId\":\"premium-minutes\",\"quantity\":$round.5},
    {\"eventId\":\"ops-$round-b\",\"organizationId\":\"$ORG\",\"appId\":\"premium-seats\",\"quantity\":$round}]"
  curl -s -o /dev/null -X POST "http://127.0.0.1:$HTTP/v1/usage-events" -H 'Content-Type: application/json' -d '{"eventId":"bad"}'
  curl -fs -o /dev/null -X POST "http://127.0.0.1:$HTTP/v1/submissions/flush" -H 'Authorization: Bearer ops-check'
  if [ $((round % 5)) = 0 ]; then
    curl -fs -o /dev/null -X POST "http://127.0.0.1:$HTTP/v1/reconciliation/run" -H 'Authorization: Bearer ops-check'
  fi
  sleep 1 # spreads the load over 20 one-second scrapes, so rates and increases have samples to work on
done

log "every dashboard and alert expression on the real Prometheus"
python3 deploy/check/check-promql.py "http://127.0.0.1:$PROM" grafana/dashboards/vendorusage-agent.json \
  deploy/prometheus/rules/vendorusage-alerts.yml
