// A vendor that already emits usage as CloudEvents: the official JavaScript SDK (npm "cloudevents") builds the
// events and its HTTP binding serialises them; the agent must take them as they come, with no adapter.
// 1. one event in structured mode (HTTP.structured), 2. a batch of SDK events as cloudevents-batch+json,
// 3. the same event again (a duplicate, not counted twice), 4. binary mode (HTTP.binary) refused with a 400,
// then every event reads back through the ingest API with the fields the mapping promises.
import { CloudEvent, HTTP } from "cloudevents";

const [baseUrl, ingestToken] = process.argv.slice(2);
const organizationId = "3f6b2c1e-8a7d-4e55-9c1b-2d4f6a8b0c9e";
const run = Date.now();
const auth = { Authorization: `Bearer ${ingestToken}` };

function check(condition, what) {
  if (!condition) {
    throw new Error(`CloudEvents SDK: ${what}`);
  }
}

function usage(id, quantity) {
  return new CloudEvent({
    id,
    source: "urn:example:vendor-app",
    type: "premium-minutes",
    subject: organizationId,
    time: new Date().toISOString(),
    datacontenttype: "application/json",
    data: { quantity },
  });
}

async function post(message) {
  const response = await fetch(`${baseUrl}/v1/usage-events`, {
    method: "POST",
    headers: { ...message.headers, ...auth },
    body: message.body,
  });
  return { status: response.status, body: await response.json() };
}

const single = usage(`ce-sdk-${run}-0`, 1.5);
const one = await post(HTTP.structured(single));
check(one.status === 202 && one.body.accepted === 1, `structured event answered ${one.status} ${JSON.stringify(one.body)}`);

const batch = [1, 2, 3].map((i) => usage(`ce-sdk-${run}-${i}`, i));
const many = await post({
  headers: { "Content-Type": "application/cloudevents-batch+json" },
  body: JSON.stringify(batch.map((e) => e.toJSON())),
});
check(many.status === 202 && many.body.accepted === 3, `batch answered ${many.status} ${JSON.stringify(many.body)}`);

const again = await post(HTTP.structured(single));
check(again.status === 202 && again.body.accepted === 0 && again.body.duplicates === 1,
  `the same event again answered ${again.status} ${JSON.stringify(again.body)}`);

const binary = await post(HTTP.binary(usage(`ce-sdk-${run}-binary`, 1)));
check(binary.status === 400 && /structured/.test(binary.body.detail ?? ""),
  `binary mode answered ${binary.status} ${JSON.stringify(binary.body)}`);

for (const event of [single, ...batch]) {
  const response = await fetch(`${baseUrl}/v1/usage-events/${event.id}`, { headers: auth });
  const stored = await response.json();
  check(response.status === 200 && stored.organizationId === event.subject && stored.appId === event.type
    && stored.quantity === event.data.quantity, `${event.id} reads back as ${JSON.stringify(stored)}`);
}
console.log("CloudEvents SDK: structured event and batch of 3 accepted, duplicate not recounted, binary mode 400, "
  + "4 events read back");
