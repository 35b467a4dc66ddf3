#!/usr/bin/env python3
"""Evaluates every PromQL expression of the Grafana dashboard and of the alert rules on a real
Prometheus that scrapes a running agent, and fails when an expression does not parse, when a metric
it names is not exported by the agent, or when a dashboard panel returns no series.

usage: check-promql.py PROMETHEUS_URL DASHBOARD_JSON RULES_YML
"""
import json
import re
import sys
import urllib.parse
import urllib.request

import yaml

METRIC = re.compile(r'\b((?:vendorusage|jvm|process)_[a-z0-9_]+|up)\b(?=\s*[{\[)]|\s*$|\s*[,=<>!])')
SUBSTITUTIONS = {'$__rate_interval': '1m', '$instance': '.*', '$app': '.*'}


def query(base, expr):
    url = base + '/api/v1/query?' + urllib.parse.urlencode({'query': expr})
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return json.load(r)
    except urllib.error.HTTPError as e:
        return json.load(e)


def expand(expr):
    for k, v in SUBSTITUTIONS.items():
        expr = expr.replace(k, v)
    return expr


def main(base, dashboard_path, rules_path):
    checks = []
    dashboard = json.load(open(dashboard_path))
    for panel in dashboard['panels']:
        for target in panel.get('targets', []):
            checks.append(('panel "%s"' % panel['title'], target['expr'], True))
    for var in dashboard['templating']['list']:
        q = var.get('query')
        if isinstance(q, dict):
            m = re.match(r'label_values\((\w+),\s*(\w+)\)', q['query'])
            checks.append(('variable "%s"' % var['name'], 'count by (%s) (%s)' % (m.group(2), m.group(1)), True))
    for group in yaml.safe_load(open(rules_path))['groups']:
        for rule in group['rules']:
            checks.append(('alert %s' % rule['alert'], rule['expr'], False))

    failures = []
    metrics_seen = {}
    for where, expr, must_return in checks:
        expr = expand(expr)
        answer = query(base, expr)
        if answer.get('status') != 'success':
            failures.append('%s: does not evaluate: %s' % (where, answer.get('error')))
            continue
        for name in sorted(set(METRIC.findall(expr))):
            if name not in metrics_seen:
                present = query(base, 'count({__name__="%s"})' % name)
                metrics_seen[name] = bool(present.get('data', {}).get('result'))
            if not metrics_seen[name]:
                failures.append('%s: metric %s is not exported by the agent' % (where, name))
        if must_return and not answer['data']['result']:
            failures.append('%s: returns no series: %s' % (where, expr))
    print('checked %d expressions naming %d metrics' % (len(checks), len(metrics_seen)))
    for f in failures:
        print('FAIL ' + f)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main(*sys.argv[1:4]))
