// A vendor's first use of the agent from its OpenAPI document: openapi-typescript generated ./agent-api.ts
// from the running agent's /q/openapi, openapi-fetch calls it. tsc type-checks this file against the generated
// types (a wrong path, field or parameter fails the build), then node runs it against the same agent.
import createClient from "openapi-fetch";
import type { paths } from "./agent-api.js";

const [baseUrl, ingestToken, adminToken] = process.argv.slice(2);
const api = createClient<paths>({ baseUrl });
const eventId = `openapi-client-${Date.now()}`;
const organizationId = "3f6b2c1e-8a7d-4e55-9c1b-2d4f6a8b0c9e";

function check(condition: boolean, what: string): void {
  if (!condition) {
    throw new Error(`generated client: ${what}`);
  }
}

const posted = await api.POST("/v1/usage-events", {
  headers: { Authorization: `Bearer ${ingestToken}` },
  body: { eventId, organizationId, appId: "premium-minutes", quantity: 2.5 },
});
check(posted.response.status === 202 && posted.data?.accepted === 1, `ingest answered ${posted.response.status}`);

const invalid = await api.POST("/v1/usage-events", {
  headers: { Authorization: `Bearer ${ingestToken}` },
  body: [{ eventId: "bad", organizationId: "not-a-uuid", appId: "premium-minutes", quantity: 1 }],
});
check(invalid.response.status === 400 && invalid.error?.errors?.[0]?.field === "organizationId",
  `an invalid event answered ${invalid.response.status}`);

const event = await api.GET("/v1/usage-events/{eventId}", {
  headers: { Authorization: `Bearer ${ingestToken}` },
  params: { path: { eventId } },
});
check(event.data?.quantity === 2.5 && event.data?.organizationId === organizationId, "the event reads back");

const flushed = await api.POST("/v1/submissions/flush", { headers: { Authorization: `Bearer ${adminToken}` } });
check(flushed.response.status === 200, `flush answered ${flushed.response.status}`);
const ledger = await api.GET("/v1/submissions", {
  headers: { Authorization: `Bearer ${adminToken}` },
  params: { query: { state: "confirmed", limit: 10 } },
});
check((ledger.data ?? []).some((r) => r.organizationId === organizationId), "the record is confirmed");
console.log(`generated client: ingest 202, invalid 400 on organizationId, event read back, record confirmed`);
