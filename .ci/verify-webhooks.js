// Verifies the notifications NotificationDeliveryTest received with an implementation the agent shares no code
// with: the Standard Webhooks reference library for Node (npm standardwebhooks). Each delivery must verify with the
// receiver's secret, and must fail with another secret and with a changed body.
// Each line holds one delivery and the secret of the receiver that got it.
// Usage: node verify-webhooks.js <received.jsonl>   (run where the package is installed)
const fs = require("fs");
const { Webhook } = require("standardwebhooks");

const received = process.argv[2];
const wrong = "whsec_" + Buffer.alloc(32, 7).toString("base64");
const lines = fs.readFileSync(received, "utf8").split("\n").filter((l) => l.length > 0);
if (lines.length === 0) {
  console.error("no deliveries to verify in " + received);
  process.exit(1);
}
const realNow = Date.now;
let verified = 0;
for (const line of lines) {
  const d = JSON.parse(line);
  const secret = d.secret;
  const headers = {
    "webhook-id": d["webhook-id"],
    "webhook-timestamp": d["webhook-timestamp"],
    "webhook-signature": d["webhook-signature"],
  };
  // judged at the moment it was sent: the library refuses timestamps more than five minutes from "now"
  Date.now = () => Number(d["webhook-timestamp"]) * 1000;
  try {
    const event = new Webhook(secret).verify(d.body, headers);
    if (event.id !== d["webhook-id"]) {
      throw new Error("the CloudEvent id " + event.id + " is not the webhook-id " + d["webhook-id"]);
    }
  } catch (e) {
    console.error("delivery " + d["webhook-id"] + " does not verify: " + e.message);
    process.exit(1);
  }
  for (const [what, key, body] of [["another secret", wrong, d.body], ["a changed body", secret, d.body + " "]]) {
    let refused = false;
    try {
      new Webhook(key).verify(body, headers);
    } catch (e) {
      refused = true;
    }
    if (!refused) {
      console.error("delivery " + d["webhook-id"] + " verified with " + what);
      process.exit(1);
    }
  }
  verified++;
}
Date.now = realNow;
console.log("standardwebhooks verified " + verified + " deliveries; another secret and a changed body failed each");
