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
// The agent runs as a native sidecar wherever a workload carries it: started (and ready) before the app, stopped
// after it.
for (const file of process.argv.slice(2)) {
  for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
    const obj = doc.toJS();
    const pod = obj?.spec?.template?.spec;
    if (!pod) continue;
    const name = `${file}: ${obj.kind}/${obj.metadata?.name}`;
    const agent = (pod.initContainers ?? []).find((c) => c.name === "vendorusage-agent");
    const problems = [];
    if ((pod.containers ?? []).some((c) => c.name === "vendorusage-agent")) problems.push("the agent is an ordinary container");
    if (!agent) problems.push("no vendorusage-agent init container");
    else {
      if (agent.restartPolicy !== "Always") problems.push("the agent's restartPolicy is not Always");
      if (agent.startupProbe?.httpGet?.path !== "/q/health/ready") problems.push("the agent's startup probe is not on readiness");
    }
    if (!(pod.terminationGracePeriodSeconds >= 30)) problems.push("terminationGracePeriodSeconds under 30");
    if (problems.length) {
      console.log(`FAIL ${name}: ${problems.join("; ")}`);
      failures++;
    } else {
      console.log(`ok   ${name}: the agent is a native sidecar`);
    }
  }
}
console.log(`${count} objects, ${failures} failing`);
process.exit(failures ? 1 : 0);
