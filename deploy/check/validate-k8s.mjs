// Validates the Kubernetes manifests offline against the Kubernetes (and Prometheus Operator) OpenAPI
// schemas shipped by the kubernetes-models packages: unknown kinds, wrong types, missing required
// fields and bad enum values fail. (The schemas allow unknown fields, so a misspelt optional field is
// not caught here.) usage: node validate-k8s.mjs MANIFEST.yaml...
// The packages are ES modules: run this file from a directory where they are installed
// (deploy/check/run-ops-checks.sh copies it next to its node_modules).
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

async function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const module = group === "monitoring.coreos.com"
    ? `@kubernetes-models/prometheus-operator/${group}/${version}/${kind}`
    : `kubernetes-models/${group ? group + "/" : ""}${version}/${kind}`;
  try {
    return (await import(module))[kind];
  } catch (e) {
    return null;
  }
}

let failures = 0;
let count = 0;
for (const file of process.argv.slice(2)) {
  for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (doc.errors.length) {
      console.log(`FAIL ${file}: YAML: ${doc.errors[0].message}`);
      failures++;
      continue;
    }
    const obj = doc.toJS();
    if (!obj) continue;
    count++;
    const Model = await modelFor(obj.apiVersion, obj.kind);
    const name = `${file}: ${obj.kind}/${obj.metadata?.name}`;
    if (!Model) {
      console.log(`FAIL ${name}: no schema for ${obj.apiVersion} ${obj.kind}`);
      failures++;
      continue;
    }
    try {
      new Model(obj).validate();
      console.log(`ok   ${name}`);
    } catch (e) {
      console.log(`FAIL ${name}: ${e.message}`);
      failures++;
    }
  }
}
console.log(`${count} objects, ${failures} failing`);
process.exit(failures ? 1 : 0);
