#!/usr/bin/env python3
"""Proof that a 202 from the embedded store is on disk: the packaged agent runs under strace (-ttt -T: each
sync's start and duration on the wall clock) while 16 connections send 1,000 single-event requests, each
stamped by the client when it was sent and when its answer arrived. Every 202 must have been preceded by a
completed fdatasync or fsync of the SQLite files that started after its request was sent and ended before its
answer arrived; and there must be at least as many completed syncs as commit groups (counted by the agent's
own vendorusage_ingest_commit_events metric). A negative control starts the agent with synchronous=OFF in its
JDBC URL, where the same check must fail: a check that passes without syncs would prove nothing.

Usage: .ci/durability.py [target/quarkus-app/quarkus-run.jar]; exits 0 only if the check passes with the
agent's settings and fails under the control."""
import bisect
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
# strace -f -ttt -T -y lines: "PID EPOCH fdatasync(FD<path>) = 0 <SECONDS>", or split in two when another
# thread's call interleaves: "PID EPOCH fdatasync(FD<path> <unfinished ...>" then "PID EPOCH <... fdatasync
# resumed>) = 0 <SECONDS>"
SYNC = re.compile(r"^(\d+)\s+(\d+\.\d+)\s+(?:fdatasync|fsync)\((\d+)<([^>]*)>\)\s+=\s+0\s+<([\d.]+)>")
UNFINISHED = re.compile(r"^(\d+)\s+(\d+\.\d+)\s+(?:fdatasync|fsync)\((\d+)<([^>]*)>\s*<unfinished")
RESUMED = re.compile(r"^(\d+)\s+\d+\.\d+\s+<\.\.\. (?:fdatasync|fsync) resumed>.*=\s+0\s+<([\d.]+)>")


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


def send(port, ids, failures, stamps):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    org = str(uuid.uuid4())
    for event_id in ids:
        body = json.dumps({"eventId": event_id, "organizationId": org, "appId": "durability", "quantity": 1})
        sent = time.time()
        c.request("POST", "/v1/usage-events", body=body, headers={
            "Content-Type": "application/json", "Authorization": "Bearer " + TOKEN})
        r = c.getresponse()
        text = r.read().decode(errors="replace")
        answered = time.time()
        if r.status != 202:
            failures.append(f"{r.status} {text[:300]}")
        stamps.append((sent, answered))
    c.close()


def store_syncs(trace):
    """The completed syncs of the store's files, as (start, end) on the wall clock, sorted by end."""
    syncs, pending = [], {}
    with open(trace) as f:
        for line in f:
            m = SYNC.search(line)
            if m:
                if os.path.basename(m.group(4)).startswith("vendorusage.db"):
                    start = float(m.group(2))
                    syncs.append((start, start + float(m.group(5))))
                continue
            m = UNFINISHED.search(line)
            if m:
                pending[m.group(1)] = (float(m.group(2)), m.group(4))
                continue
            m = RESUMED.search(line)
            if m and m.group(1) in pending:
                start, path = pending.pop(m.group(1))
                if os.path.basename(path).startswith("vendorusage.db"):
                    syncs.append((start, start + float(m.group(2))))
    return sorted(syncs, key=lambda s: s[1])


def uncovered(stamps, syncs):
    """The requests no sync covers: none started after the request was sent and ended before its answer."""
    ends = [e for _, e in syncs]
    missing = 0
    for sent, answered in stamps:
        # the syncs that ended while the request was in flight: one of them that also began after the send covers it
        first, last = bisect.bisect_right(ends, sent), bisect.bisect_right(ends, answered)
        if not any(syncs[j][0] >= sent for j in range(first, last)):
            missing += 1
    return missing


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
        tracer = subprocess.Popen(["strace", "-f", "-ttt", "-T", "-y", "-e", "trace=fsync,fdatasync", "-o", trace,
                                   "-p", str(agent.pid)], stderr=subprocess.PIPE, text=True)
        attached = []
        reader = threading.Thread(target=lambda: [attached.append(l) for l in tracer.stderr], daemon=True)
        reader.start()
        # "strace: Process N attached with M threads": from then on every thread, and every new one, is traced
        wait_for("strace to attach", lambda: any("attached" in l for l in attached), 30)
        before = commit_groups(mgmt_port)
        ids = [f"dur-{i}-{uuid.uuid4()}" for i in range(REQUESTS)]
        failures, stamps = [], []
        workers = [threading.Thread(target=send, args=(http_port, ids[i::CONNECTIONS], failures, stamps))
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
    syncs = store_syncs(trace)
    missing = uncovered(stamps, syncs)
    passed = groups > 0 and len(syncs) >= groups and missing == 0 and len(stamps) == REQUESTS
    print(f"{label}: {REQUESTS} requests from {CONNECTIONS} connections in {seconds:.1f} s, all 202; "
          f"{groups} commit groups, {len(syncs)} completed syncs of the store's files; {missing} of "
          f"{len(stamps)} answers without a sync between their request and their 202 -> "
          f"{'PASS' if passed else 'FAIL'} (syncs >= groups, every 202 after a sync begun while it was in flight)")
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
