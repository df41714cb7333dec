#!/bin/sh
# SPDX-License-Identifier: MIT
# A real Prometheus server (Debian's /usr/bin/prometheus) scrapes the
# exporter, configured from the shipped etc/prometheus.yml, and then every
# query of the shipped grafana/netmetrics.json runs through its HTTP API.
#
# Everything runs in a network namespace of our own (lo, and a veth pair to
# a second namespace with ping traffic on it), so the ports are ours and the
# data is real: a veth has a link speed, counters that move, a type.
#   - the exporter under test ("main", netlink backend, with
#     --collector.connections.processes so the per-process panel has data);
#   - a second exporter reading a fixture tree ("fixture": procfs backend on
#     a copy of tests/fixtures/linkinfo), because this machine has no Wi-Fi:
#     it is the only source of the wireless series. The copy gets a noise
#     level (the fixture's -256 means "unknown" and is not exported);
#   - Prometheus on 127.0.0.1:9090 of that namespace, its own storage in the
#     scratch directory, 1 s scrape interval, both exporters in the shipped
#     job.
# Checks: both targets up with no scrape error; the scrapes were OpenMetrics
# (Prometheus only records the `info` type and counter families named without
# `_total` when it parsed the response as OpenMetrics, which it chooses from
# the response's Content-Type); Prometheus ingested as many samples as the
# exporter serves; every template-variable query (label_values, run as the
# PromQL it stands for) and every panel query, with the variables set to all
# their values as Grafana would, returns data; and the commented TLS variant
# of etc/prometheus.yml is a valid configuration.
. "$(dirname "$0")/lib.sh"

require_root
require_cmd ip curl python3 ping
PROMETHEUS=${NM_PROMETHEUS:-/usr/bin/prometheus}
PROMTOOL=${NM_PROMTOOL:-promtool}
[ -x "$PROMETHEUS" ] || skip "no Prometheus server at $PROMETHEUS (Debian package prometheus)"
command -v "$PROMTOOL" >/dev/null 2>&1 || skip "no promtool (Debian package prometheus)"
nm_require_exporter

PROM_YML="$top_srcdir/etc/prometheus.yml"
DASH="$top_srcdir/grafana/netmetrics.json"
[ -r "$PROM_YML" ] || die "missing $PROM_YML"
[ -r "$DASH" ] || die "missing $DASH"

# --------------------------------------------------------------- network --
NS=$(nm_ns prom)
PEER=$(nm_ns peer)
nm_netns_add "$NS"
nm_netns_add "$PEER"
ip -n "$NS" link add nmp0 type veth peer name nmp1 netns "$PEER" ||
    die "cannot create the veth pair"
ip -n "$NS" addr add 198.18.0.1/30 dev nmp0 || die "cannot address nmp0"
ip -n "$PEER" addr add 198.18.0.2/30 dev nmp1 || die "cannot address nmp1"
ip -n "$NS" link set nmp0 up || die "cannot bring nmp0 up"
ip -n "$PEER" link set nmp1 up || die "cannot bring nmp1 up"
# Traffic for the rate panels; -w bounds it even if cleanup were skipped.
ip netns exec "$NS" ping -q -i 0.2 -w 120 198.18.0.2 >/dev/null 2>&1 </dev/null &
nm_track_pid $!

# ------------------------------------------------------------- exporters --
nm_start_exporter "$NS" main --collector.connections --collector.connections.processes
MAIN_PORT=$NM_EXPORTER_PORT

FX="$NM_TMP/fixture"
cp -R "$NM_FIXTURES/linkinfo" "$FX" || die "cannot copy the linkinfo fixture"
# Same line, with a known noise level instead of the "unknown" -256.
sed -i 's/^\( *wlan0:.*\)-256 /\1-92 /' "$FX/proc/net/wireless"
grep -q -- ' -92 ' "$FX/proc/net/wireless" || die "could not set the fixture's noise level"
nm_start_exporter "$NS" fixture --collector.backend=procfs --path.procfs="$FX/proc" \
    --path.sysfs="$FX/sys" --no-collector.connections
FIXTURE_PORT=$NM_EXPORTER_PORT

# ------------------------------------------------------ prometheus config --
# The shipped file with the test's interval and targets: each substitution
# must match exactly what the file says, so a reshaped example fails here
# instead of silently testing something else.
if ! python3 - "$PROM_YML" "$NM_TMP/prometheus.yml" "127.0.0.1:$MAIN_PORT" \
    "127.0.0.1:$FIXTURE_PORT" >"$NM_TMP/config.err" 2>&1 <<'PY'
import re, sys
src, dst, main, fixture = sys.argv[1:5]
text = open(src, encoding="utf-8").read()
subs = [
    (r"(?m)^(\s*scrape_interval:\s*)15s\s*$", r"\g<1>1s", 2),
    (r"(?m)^(\s*evaluation_interval:\s*)15s\s*$", r"\g<1>1s", 1),
    (r"(?m)^(\s*scrape_timeout:\s*)10s\s*$", r"\g<1>1s", 1),
    (r"(?m)^(\s*- targets:\s*)\['localhost:9709'\]\s*$",
     r"\g<1>['%s', '%s']" % (main, fixture), 1),
]
for pattern, repl, want in subs:
    text, n = re.subn(pattern, repl, text)
    if n != want:
        sys.exit("etc/prometheus.yml: %r matched %d times, expected %d" % (pattern, n, want))
if not re.search(r"(?m)^\s*- job_name:\s*netmetrics\s*$", text):
    sys.exit("etc/prometheus.yml: no job_name netmetrics")
open(dst, "w", encoding="utf-8").write(text)
PY
then
    die "$(cat "$NM_TMP/config.err")"
fi
if "$PROMTOOL" check config "$PROM_YML" >"$NM_TMP/check.out" 2>&1; then
    pass "promtool check config accepts etc/prometheus.yml"
else
    fail "promtool check config etc/prometheus.yml: $(cat "$NM_TMP/check.out")"
fi

# The commented TLS + basic auth variant: uncommented, with its files made
# to exist (promtool checks that they do), it is a valid configuration.
mkdir -p "$NM_TMP/tls"
awk 'f || /^    # scheme:/ { f = 1; sub(/^    # /, "    ") } { print }' "$PROM_YML" |
    sed "s|/etc/prometheus/|$NM_TMP/tls/|" >"$NM_TMP/prometheus-tls.yml"
for f in $(sed -n "s|.*_file: $NM_TMP/tls/||p" "$NM_TMP/prometheus-tls.yml"); do
    : >"$NM_TMP/tls/$f"
done
if grep -q '^    scheme: https$' "$NM_TMP/prometheus-tls.yml" &&
    grep -q '^      username: ' "$NM_TMP/prometheus-tls.yml" &&
    "$PROMTOOL" check config "$NM_TMP/prometheus-tls.yml" >"$NM_TMP/check-tls.out" 2>&1; then
    pass "the commented TLS/basic_auth variant of etc/prometheus.yml is valid"
else
    fail "TLS variant of etc/prometheus.yml: $(cat "$NM_TMP/check-tls.out" 2>/dev/null)"
fi

# ------------------------------------------------------------- prometheus --
PROM_ADDR=127.0.0.1:9090
PROM_LOG="$NM_TMP/prometheus.log"
NM_EXPORTER_LOGS+=("$PROM_LOG")   # shown if the test fails
ip netns exec "$NS" "$PROMETHEUS" --config.file="$NM_TMP/prometheus.yml" \
    --storage.tsdb.path="$NM_TMP/prometheus-data" --web.listen-address="$PROM_ADDR" \
    --log.level=info </dev/null >"$PROM_LOG" 2>&1 &
PROM_PID=$!
nm_track_pid "$PROM_PID"
ready=
for ((i = 0; i < 300; i++)); do
    if nm_in_ns "$NS" curl -sf --max-time 2 --noproxy '*' "http://$PROM_ADDR/-/ready" \
        >/dev/null 2>&1; then
        ready=1
        break
    fi
    kill -0 "$PROM_PID" 2>/dev/null || die "prometheus exited: $(tail -n 5 "$PROM_LOG")"
    sleep 0.1
done
[ -n "$ready" ] || die "prometheus not ready within 30 s"
pass "prometheus $("$PROMETHEUS" --version 2>&1 | sed -n '1s/^prometheus, version \([^ ]*\).*/\1/p') ready on $PROM_ADDR"

# ----------------------------------------------------------------- checks --
# One Python program (stdlib only) talks to the HTTP API; it prints ok:/FAIL:
# lines, counted below. Bounded by its own deadlines (under a minute).
cat >"$NM_TMP/promcheck.py" <<'PY'
import json, re, sys, time, urllib.parse, urllib.request

prom, main, fixture, dash_path = sys.argv[1:5]
targets = {"main": main, "fixture": fixture}
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
failed = 0

def ok(msg):
    print("ok: " + msg, flush=True)

def bad(msg):
    global failed
    failed += 1
    print("FAIL: " + msg, flush=True)

def api(path, **params):
    url = "http://%s%s?%s" % (prom, path, urllib.parse.urlencode(params))
    with opener.open(url, timeout=10) as r:
        doc = json.load(r)
    if doc.get("status") != "success":
        raise RuntimeError("%s: %s" % (path, doc))
    return doc["data"]

def query(expr):
    data = api("/api/v1/query", query=expr)
    return data["result"] if data["resultType"] == "vector" else [data["result"]]

def wait(what, cond, seconds, deadline=None):
    """Retries cond() until it returns a true value or seconds pass (or the
    absolute deadline, when given, whichever is first); tries at least once."""
    deadline = min(time.monotonic() + seconds, deadline or float("inf"))
    last = None
    while True:
        try:
            last = cond()
            if last:
                return last
        except Exception as e:  # not ready yet: the API may still be starting
            last = e
        if time.monotonic() > deadline:
            raise TimeoutError("%s: not within %d s (last: %r)" % (what, seconds, last))
        time.sleep(0.5)

# -- both targets up, several scrapes done --------------------------------
def targets_up():
    active = api("/api/v1/targets", state="active")["activeTargets"]
    by = {t["labels"].get("instance"): t for t in active}
    if all(by.get(a, {}).get("health") == "up" for a in targets.values()):
        return by
    return None

try:
    by = wait("both targets up", targets_up, 30)
    # rate() over 4s needs a few 1 s scrapes of each target.
    wait("5 scrapes of each target",
         lambda: len([s for s in query('count_over_time(up{job="netmetrics"}[1m]) >= 5')]) == 2,
         30)
except TimeoutError as e:
    bad(str(e))
    print(json.dumps(api("/api/v1/targets"), indent=1)[:3000])
    sys.exit(1)

for name, addr in targets.items():
    t = by[addr]
    if t["labels"].get("job") == "netmetrics" and t["health"] == "up" and t["lastError"] == "":
        ok("target %s (%s): health up, lastError empty, job netmetrics" % (name, addr))
    else:
        bad("target %s: %r" % (name, t))
    up = query('up{instance="%s"}' % addr)
    if len(up) == 1 and up[0]["value"][1] == "1":
        ok("up{instance=%s} == 1" % addr)
    else:
        bad("up{instance=%s}: %r" % (addr, up))

# -- OpenMetrics ------------------------------------------------------------
# Prometheus picks its parser from the response's Content-Type. Only the
# OpenMetrics parser reports the `info` type and counter families named
# without _total; the text parser would record netmetrics_interface_info as
# an untyped/gauge family and the counters under their _total names.
for name, addr in targets.items():
    meta = api("/api/v1/targets/metadata", match_target='{instance="%s"}' % addr)
    types = {m["metric"]: m["type"] for m in meta}
    want = {"netmetrics_interface": "info", "netmetrics_build": "info",
            "netmetrics_receive_bytes": "counter"}
    wrong = {k: types.get(k) for k, v in want.items() if types.get(k) != v}
    if not wrong and "netmetrics_receive_bytes_total" not in types:
        ok("%s scraped as OpenMetrics: netmetrics_interface is info, "
           "netmetrics_receive_bytes a counter family (%d families)" % (name, len(types)))
    else:
        bad("%s not parsed as OpenMetrics: %r (families: %s)"
            % (name, wrong, ", ".join(sorted(types)[:8])))

# Prometheus ingested every sample the exporter serves. The fixture exporter
# is used: its series set is fixed (the main exporter lists the processes of
# its sockets, and the test's own connection would be one of them).
def count_samples(addr):
    req = urllib.request.Request("http://%s/metrics" % addr, headers={
        "Accept": "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5"})
    with opener.open(req, timeout=10) as r:
        ctype = r.headers.get("Content-Type", "")
        body = r.read().decode("utf-8")
    n = sum(1 for line in body.splitlines() if line and not line.startswith("#"))
    return ctype, n

def samples_match():
    ctype, served = count_samples(fixture)
    got = query('scrape_samples_scraped{instance="%s"}' % fixture)
    scraped = int(float(got[0]["value"][1])) if got else None
    return (ctype, served, scraped) if served == scraped else None

try:
    ctype, served, scraped = wait("scrape_samples_scraped equal to the served samples",
                                  samples_match, 10)
    if ctype.startswith("application/openmetrics-text"):
        ok("fixture: Prometheus scraped %d samples, the exporter serves %d (%s)"
           % (scraped, served, ctype))
    else:
        bad("the exporter answered an OpenMetrics Accept with %r" % ctype)
except TimeoutError as e:
    bad(str(e))

# Connections by state: the keep-alive scrape connections between Prometheus
# and the exporters are established TCP sockets in this namespace.
est = query('netmetrics_connections{instance="%s", protocol="tcp", state="established"}' % main)
if sum(float(s["value"][1]) for s in est) > 0:
    ok("netmetrics_connections sees established TCP connections")
else:
    bad("no established TCP connection counted: %r" % est)

# -- the dashboard ------------------------------------------------------------
dash = json.load(open(dash_path, encoding="utf-8"))
variables = {v["name"]: v for v in dash.get("templating", {}).get("list", [])}
problems = []
if dash.get("schemaVersion", 0) < 39:
    problems.append("schemaVersion %r < 39" % dash.get("schemaVersion"))
if not any(i.get("name") == "DS_PROMETHEUS" and i.get("pluginId") == "prometheus"
           for i in dash.get("__inputs", [])):
    problems.append("no DS_PROMETHEUS input")
for name in ("datasource", "instance", "type", "device"):
    if name not in variables:
        problems.append("no template variable %s" % name)
if variables.get("datasource", {}).get("type") != "datasource":
    problems.append("variable datasource is not a data source variable")
for name in ("device", "type"):
    v = variables.get(name, {})
    if not (v.get("multi") and v.get("includeAll")):
        problems.append("variable %s is not multi-value with All" % name)
if problems:
    bad("dashboard structure: " + "; ".join(problems))
else:
    ok("dashboard: schemaVersion %d, DS_PROMETHEUS input, variables %s"
       % (dash["schemaVersion"], ", ".join(variables)))

# Grafana's interpolation of a multi-value (or All) variable in a Prometheus
# query: regex metacharacters escaped with a doubled backslash (one inside
# the PromQL string), values joined as (a|b).
def regex_escape(value):
    return re.sub(r"([\\^$*+?.()|{}\[\]])", r"\\\\\1", value)

values = {"__rate_interval": "4s", "__interval": "2s", "__range": "1m",
          "__range_s": "60", "__interval_ms": "2000"}

def interpolate(expr, where):
    def one(m):
        name = m.group(1) or m.group(2)
        if name not in values:
            raise KeyError("%s uses $%s, which is not defined before it" % (where, name))
        return values[name]
    return re.sub(r"\$\{(\w+)(?::\w+)?\}|\$(\w+)", one, expr)

def label_values_query(q, where):
    m = re.fullmatch(r"\s*label_values\((.*),\s*(\w+)\s*\)\s*", q, re.S)
    if not m:
        raise ValueError("%s: unsupported variable query %r" % (where, q))
    return "count by (%s) (%s)" % (m.group(2), interpolate(m.group(1), where)), m.group(2)

for v in dash["templating"]["list"]:
    if v.get("type") == "datasource":
        # The data source variable selects Prometheus itself: no query.
        continue
    if v.get("type") != "query":
        bad("variable %s: type %r is not handled by this test" % (v["name"], v.get("type")))
        continue
    q = v.get("query")
    q = q.get("query") if isinstance(q, dict) else q
    where = "variable %s" % v["name"]
    try:
        promql, label = label_values_query(q, where)
        res = wait(where, lambda: query(promql), 10)
        vals = sorted({s["metric"].get(label, "") for s in res} - {""})
    except Exception as e:
        bad("%s (%s): %s" % (where, q, e))
        values[v["name"]] = "(?!)"
        continue
    if not vals:
        bad("%s (%s): no values" % (where, promql))
    else:
        ok("%s: %s -> %s" % (where, promql, ", ".join(vals)))
    values[v["name"]] = "(" + "|".join(regex_escape(x) for x in vals) + ")"

for name in ("instance", "type", "device"):
    if name in values:
        print("note: $%s = %s" % (name, values[name]))
for want, var in (("wifi", "type"), ("wlan0", "device"), ("nmp0", "device")):
    if want not in values.get(var, ""):
        bad("$%s lacks %s" % (var, want))

def panels(node):
    for p in node.get("panels", []):
        yield p
        yield from panels(p)

# Rates need two samples in the window, speeds two collections: a query
# that is still empty is retried, all of them within one shared budget.
retry_until = time.monotonic() + 20
n_queries = 0
for p in panels(dash):
    if p.get("type") != "row" and p.get("datasource", {}).get("uid") != "${datasource}":
        bad("panel %r does not use the datasource variable" % p.get("title"))
    for t in p.get("targets", []):
        where = "panel %r query %s" % (p.get("title"), t.get("refId"))
        if t.get("datasource", {}).get("uid") != "${datasource}":
            bad(where + ": not on the datasource variable")
        n_queries += 1
        try:
            expr = interpolate(t["expr"], where)
            res = wait(where, lambda: query(expr), 15, retry_until)
            ok("%s: %d series" % (where, len(res)))
        except Exception as e:
            bad("%s: %s\n    %s" % (where, e, t.get("expr")))
if n_queries < 20:
    bad("only %d panel queries in the dashboard" % n_queries)
else:
    ok("%d panel queries, every one returned data" % n_queries if not failed else
       "%d panel queries run" % n_queries)
sys.exit(1 if failed else 0)
PY

nm_in_ns "$NS" timeout 90 python3 "$NM_TMP/promcheck.py" "$PROM_ADDR" \
    "127.0.0.1:$MAIN_PORT" "127.0.0.1:$FIXTURE_PORT" "$DASH" >"$NM_TMP/promcheck.out" 2>&1
status=$?
while IFS= read -r line; do
    case $line in
        ok:*) pass "${line#ok: }" ;;
        FAIL:*) fail "${line#FAIL: }" ;;
        *) echo "$line" ;;
    esac
done <"$NM_TMP/promcheck.out"
[ "$status" -eq 0 ] || [ "$NM_FAILED" -gt 0 ] || fail "promcheck.py exited with status $status"

kill -0 "$PROM_PID" 2>/dev/null && pass "prometheus still running" ||
    fail "prometheus exited during the test"
if grep -E 'level=(error|warn)' "$PROM_LOG" | grep -qi scrape; then
    fail "prometheus logged scrape problems: $(grep -E 'level=(error|warn)' "$PROM_LOG" | grep -i scrape | head -n 3)"
else
    pass "prometheus logged no scrape warning or error"
fi
nm_finish
