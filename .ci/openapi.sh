#!/usr/bin/env bash
# The OpenAPI document as its users meet it, from the packaged agent's management port:
# 1. Swagger UI: Debian's Chromium renders the page headless (its scripts fetch /q/openapi and lay the
#    operations out); the rendered DOM must show the ingest operation and every path of the document.
# 2. A generated client: the document validates (@apidevtools/swagger-parser), openapi-typescript generates
#    types from it, tsc type-checks .ci/openapi-client/client.ts against them and node runs it against the
#    agent (ingest, a 400, read back, flush, the ledger).
# 3. An existing CloudEvents emitter: the official JavaScript SDK (npm cloudevents) sends structured events, a
#    batch, a duplicate and a binary-mode message (.ci/openapi-client/emitter.mjs).
# Installs chromium when missing; needs Node.js/npm and the npm registry.
# Usage: .ci/openapi.sh [target/quarkus-app/quarkus-run.jar]
set -euo pipefail
jar=${1:-target/quarkus-app/quarkus-run.jar}
command -v chromium >/dev/null || {
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium >/dev/null
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
work=$(mktemp -d)
http_port=$(free_port)
mgmt_port=$(free_port)
java -Dagent.sandbox.enabled=true -Dagent.admin.token=openapi-admin -Dagent.ingest.token=openapi-ingest \
  -Dagent.apps.'"premium-minutes"'.mode=sum -Dagent.data-dir="$work/data" \
  -Dquarkus.http.port="$http_port" -Dquarkus.management.port="$mgmt_port" -jar "$jar" >"$work/agent.log" 2>&1 &
agent=$!
trap 'kill "$agent" 2>/dev/null; wait "$agent" 2>/dev/null || true; rm -rf "$work"' EXIT

deadline=$((SECONDS + 60))
until curl -sf "http://127.0.0.1:$mgmt_port/q/health/ready" >/dev/null; do
  kill -0 "$agent" 2>/dev/null || { cat "$work/agent.log"; echo "agent exited" >&2; exit 1; }
  [ $SECONDS -lt $deadline ] || { cat "$work/agent.log"; echo "agent not ready within 60 s" >&2; exit 1; }
  sleep 0.5
done

# the flags keep Chromium off the network it has no use for here (see the env notes); virtual time lets the
# page's scripts run to idle before the DOM is dumped
timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync --user-data-dir="$work/chrome" \
  --virtual-time-budget=15000 --dump-dom "http://127.0.0.1:$mgmt_port/q/swagger-ui/" >"$work/dom.html" \
  2>"$work/chrome.log" || { tail -20 "$work/chrome.log"; echo "chromium failed" >&2; exit 1; }

expected=$(curl -sf "http://127.0.0.1:$mgmt_port/q/openapi?format=json" \
  | python3 -c 'import json,sys; print("\n".join(sorted(json.load(sys.stdin)["paths"])))')
rendered=$(grep -o 'data-path="[^"]*"' "$work/dom.html" | sed 's/data-path="\(.*\)"/\1/' | sort -u)
grep -q 'id="operations-ingest-ingestEvents"' "$work/dom.html" \
  || { echo "FAIL: the rendered Swagger UI shows no ingest operation (ingestEvents)" >&2; exit 1; }
[ "$expected" = "$rendered" ] || {
  echo "FAIL: the rendered page shows paths"; echo "$rendered"; echo "the document has"; echo "$expected"; exit 1; } >&2
echo "Swagger UI rendered in $(chromium --version 2>/dev/null | head -n 1): $(echo "$rendered" | wc -l) paths, ingest operation shown"

here=$(cd "$(dirname "$0")" && pwd)
curl -sf "http://127.0.0.1:$mgmt_port/q/openapi?format=json" >"$work/openapi.json"
mkdir "$work/client"
cp "$here"/openapi-client/client.ts "$here"/openapi-client/tsconfig.json "$here"/openapi-client/emitter.mjs \
  "$work/client/"
cd "$work/client"
npm init -y >/dev/null && npm pkg set type=module
npm install --silent --no-audit --no-fund openapi-typescript@7 openapi-fetch@0.17 typescript@5 @types/node@20 \
  @apidevtools/swagger-parser@13 cloudevents@10 >/dev/null
node -e 'import("@apidevtools/swagger-parser").then(m => m.default.validate(process.argv[1]))
  .then(api => console.log(`OpenAPI ${api.openapi} document valid: ${Object.keys(api.paths).length} paths`))
  .catch(e => { console.error(`FAIL: ${e.message}`); process.exit(1); })' "$work/openapi.json"
npx openapi-typescript "$work/openapi.json" -o agent-api.ts >/dev/null
npx tsc -p .
node out/client.js "http://127.0.0.1:$http_port" openapi-ingest openapi-admin
node emitter.mjs "http://127.0.0.1:$http_port" openapi-ingest
