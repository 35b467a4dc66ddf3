#!/usr/bin/env python3
"""Proof that a 202 from the embedded store is on disk: the packaged agent runs under strace while 16
connections send 1,000 single-event requests; every group commit must be matched by a completed fdatasync or
fsync of the SQLite files (syncs >= commit groups, the groups counted by the agent's own
vendorusage_ingest_commit_events metric). A negative control starts the agent with synchronous=OFF in its JDBC
URL, where the same check must fail: a check that passes without syncs would prove nothing.

Usage: .ci/durability.py [target/quarkus-app/quarkus-run.jar]; exits 0 only if the check passes with the
agent's settings and fails under the control."""
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid

JAR = sys.argv[1] if len(sys.argv) > 1 else "target/quarkus-app/quarkus-run.jar"
TOKEN = "durability-token"
REQUESTS = 1000
CONNECTIONS = 16
SYNC = re.compile(r"\b(fdatasync|fsync)\((\d+)<([^>]*)>\)\s+=\s+0")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(what, condition, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise SystemExit(f"timed out waiting for {what}")


def get(port, path):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        c.request("GET", path, headers={"Accept": "text/plain; version=0.0.4"})
        r = c.getresponse()
        return r.status, r.read().decode()
    finally:
        c.close()


def ready(port):
    try:
        return get(port, "/q/health/ready")[0] == 200
    except OSError:
        return False


def commit_groups(port):
    text = get(port, "/q/metrics")[1]
    m = re.search(r"^vendorusage_ingest_commit_events_count\S*\s+([0-9.eE+]+)$", text, re.M)
    return int(float(m.group(1))) if m else 0


def send(port, ids, failures):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    org = str(uuid.uuid4())
    for event_id in ids:
        body = json.dumps({"eventId": event_id, "organizationId": org, "appId": "durability", "quantity": 1})
        c.request("POST", "/v1/usage-events", body=body, headers={
            "Content-Type": "application/json", "Authorization": "Bearer " + TOKEN})
        r = c.getresponse()
        text = r.read().decode(errors="replace")
        if r.status != 202:
            failures.append(f"{r.status} {text[:300]}")
    c.close()


def run(label, url_suffix):
    work = tempfile.mkdtemp(prefix="durability-")
    http_port, mgmt_port = free_port(), free_port()
    db = os.path.join(work, "vendorusage.db")
    cmd = ["java", "-Xmx256m", f"-Dquarkus.http.port={http_port}", f"-Dquarkus.management.port={mgmt_port}",
           f"-Dagent.data-dir={work}", f"-Dagent.ingest.token={TOKEN}", "-Dagent.sandbox.enabled=true",
           "-Dagent.submission.enabled=false", "-Dagent.reconciliation.enabled=false",
           f"-Dquarkus.datasource.jdbc.url=jdbc:sqlite:{db}{url_suffix}", "-jar", JAR]
    log = open(os.path.join(work, "agent.log"), "w")
    agent = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    trace = os.path.join(work, "strace.log")
    tracer = None
    try:
        wait_for("the agent to be ready", lambda: ready(mgmt_port))
        tracer = subprocess.Popen(["strace", "-f", "-y", "-e", "trace=fsync,fdatasync", "-o", trace,
                                   "-p", str(agent.pid)], stderr=subprocess.PIPE, text=True)
        attached = []
        reader = threading.Thread(target=lambda: [attached.append(l) for l in tracer.stderr], daemon=True)
        reader.start()
        # "strace: Process N attached with M threads": from then on every thread, and every new one, is traced
        wait_for("strace to attach", lambda: any("attached" in l for l in attached), 30)
        before = commit_groups(mgmt_port)
        ids = [f"dur-{i}-{uuid.uuid4()}" for i in range(REQUESTS)]
        failures = []
        workers = [threading.Thread(target=send, args=(http_port, ids[i::CONNECTIONS], failures))
                   for i in range(CONNECTIONS)]
        t0 = time.monotonic()
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        seconds = time.monotonic() - t0
        groups = commit_groups(mgmt_port) - before
    finally:
        if tracer:
            tracer.send_signal(signal.SIGINT)
            tracer.wait(30)
        agent.send_signal(signal.SIGTERM)
        try:
            agent.wait(30)
        except subprocess.TimeoutExpired:
            agent.kill()
    if failures:
        raise SystemExit(f"{label}: {len(failures)} requests not accepted, the first: {failures[0]}")
    syncs = 0
    with open(trace) as f:
        for line in f:
            m = SYNC.search(line)
            if m and os.path.basename(m.group(3)).startswith("vendorusage.db"):
                syncs += 1
    passed = groups > 0 and syncs >= groups
    print(f"{label}: {REQUESTS} requests from {CONNECTIONS} connections in {seconds:.1f} s, all 202; "
          f"{groups} commit groups, {syncs} completed syncs of the store's files -> "
          f"{'PASS' if passed else 'FAIL'} (syncs >= groups)")
    return passed


def main():
    durable = run("agent settings (synchronous=FULL)", "")
    control = run("negative control (synchronous=OFF)", "?synchronous=OFF")
    if not durable:
        raise SystemExit("durability check failed: fewer syncs than commits")
    if control:
        raise SystemExit("negative control passed the check: the check cannot tell syncs from none")
    print("durability check: every commit group was synced; the control without syncs fails the check")


if __name__ == "__main__":
    main()
