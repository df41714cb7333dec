#!/bin/sh
# SPDX-License-Identifier: MIT
# The bundled Grafana dashboard is valid JSON and every netmetrics_* metric
# it queries (panels and template variables) is one the exporter serves.
# A renamed metric would otherwise leave users with empty panels.
# Some families exist only on some machines or after a second scrape, so
# "served" is what these exporters serve together: this host's, scraped twice
# (speeds) with the opt-in per-process connections, and one on the linkinfo
# fixture (a Wi-Fi interface, link speeds) with a known noise level.
# test_prometheus.sh goes further: every query must return data.
. "$(dirname "$0")/lib.sh"

require_cmd curl python3
dash="$top_srcdir/grafana/netmetrics.json"
[ -f "$dash" ] || die "no dashboard at $dash"

nm_start_exporter "" grafana --collector.connections --collector.connections.processes
nm_scrape_to "" "$NM_EXPORTER_PORT" "$NM_TMP/metrics.txt"
sleep 1.1
nm_scrape "" "$NM_EXPORTER_PORT" >>"$NM_TMP/metrics.txt" || die "second scrape failed"
FX="$NM_TMP/fixture"
cp -R "$NM_FIXTURES/linkinfo" "$FX" || die "cannot copy the linkinfo fixture"
sed -i 's/^\( *wlan0:.*\)-256 /\1-92 /' "$FX/proc/net/wireless"
nm_start_exporter "" fixture --collector.backend=procfs --path.procfs="$FX/proc" \
    --path.sysfs="$FX/sys"
nm_scrape "" "$NM_EXPORTER_PORT" >>"$NM_TMP/metrics.txt" || die "fixture scrape failed"

if python3 - "$dash" "$NM_TMP/metrics.txt" >"$NM_TMP/report" 2>&1 <<'PY'
import json, re, sys

dash = json.load(open(sys.argv[1]))
served = set()
for line in open(sys.argv[2], encoding="utf-8"):
    m = re.match(r"# TYPE (\S+) ", line)
    if m:
        served.add(m.group(1))

queries = []
def walk(node):
    if isinstance(node, dict):
        for key in ("expr", "definition"):
            if isinstance(node.get(key), str):
                queries.append(node[key])
        q = node.get("query")
        if isinstance(q, dict) and isinstance(q.get("query"), str):
            queries.append(q["query"])
        for v in node.values():
            walk(v)
    elif isinstance(node, list):
        for v in node:
            walk(v)
walk(dash)

used = set()
for q in queries:
    used.update(re.findall(r"\bnetmetrics_[a-z0-9_]+", q))
missing = sorted(used - served)
print(f"{len(queries)} queries use {len(used)} metrics; exporter serves {len(served)} families")
if not queries or not used:
    print("the dashboard has no netmetrics queries")
    sys.exit(1)
if missing:
    print("not served: " + ", ".join(missing))
    sys.exit(1)
PY
then
    pass "$(cat "$NM_TMP/report")"
else
    fail "dashboard check: $(cat "$NM_TMP/report")"
fi
nm_finish
