#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Content negotiation and compression end to end, on loopback: Prometheus's
# own Accept header gets OpenMetrics 1.0.0 (parsed by the OpenMetrics parser
# of python3-prometheus-client when installed), curl's */* gets text 0.0.4,
# Accept-Encoding: gzip gets a gzip body with Vary that decompresses to the
# same series as the plain answer, gzip;q=0 gets none, and the health
# probes answer 200. Needs no root; skips (77) only without curl.
. "$(dirname "$0")/lib.sh"

require_cmd curl
require_cmd gzip
nm_require_exporter

PROM_ACCEPT='application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1'
OM_CT='application/openmetrics-text; version=1.0.0; charset=utf-8'
TEXT_CT='text/plain; version=0.0.4; charset=utf-8'

# get TAG PATH [CURL_ARGS...]: status on stdout; headers and body saved.
get() {
    local tag=$1 path=$2 code
    shift 2
    code=$(curl -s --noproxy '*' --max-time 10 -o "$NM_TMP/$tag.body" -D "$NM_TMP/$tag.headers" \
        -w '%{http_code}' "$@" "http://127.0.0.1:$NM_EXPORTER_PORT$path" 2>/dev/null) || true
    echo "${code:-000}"
}

# header TAG NAME: the value of response header NAME (case-insensitive).
header() {
    tr -d '\r' <"$NM_TMP/$1.headers" |
        awk -v n="$(echo "$2" | tr 'A-Z' 'a-z')" '
            { i = index($0, ":"); if (i == 0) next
              k = tolower(substr($0, 1, i - 1)); v = substr($0, i + 1); sub(/^ +/, "", v)
              if (k == n) { print v; exit } }'
}

# expect_eq WHAT GOT WANT
expect_eq() {
    if [ "$2" = "$3" ]; then pass "$1: '$2'"; else fail "$1: '$2', want '$3'"; fi
}

# series FILE: the sample lines without their values, sorted (durations and
# counters move between scrapes; names and labels must not).
series() {
    grep -v '^#' "$1" | sed 's/ [^ ]*$//' | sort
}

nm_start_exporter "" neg --collector.connections --collector.speed.min-interval=0

# -- OpenMetrics for Prometheus ---------------------------------------------
code=$(get om /metrics -H "Accept: $PROM_ACCEPT")
expect_eq "Prometheus Accept: status" "$code" 200
expect_eq "Prometheus Accept: Content-Type" "$(header om Content-Type)" "$OM_CT"
if [ "$(tail -c 6 "$NM_TMP/om.body")" = "# EOF" ] &&
    [ "$(tail -c 1 "$NM_TMP/om.body" | od -An -c | tr -d ' ')" = '\n' ]; then
    pass "OpenMetrics body ends in '# EOF\\n'"
else
    fail "OpenMetrics body does not end in '# EOF\\n': $(tail -c 40 "$NM_TMP/om.body" | od -c | tail -n 3)"
fi
if [ "$(grep -c '^# EOF$' "$NM_TMP/om.body")" = 1 ]; then
    pass "exactly one '# EOF'"
else
    fail "'# EOF' count is not 1"
fi
# The Debian package's parser, with the system interpreter (the python3 on
# PATH may be another one, without the package).
if /usr/bin/python3 -c 'import prometheus_client.openmetrics.parser' 2>/dev/null; then
    if out=$(/usr/bin/python3 -c '
import sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families
fams = list(text_string_to_metric_families(open(sys.argv[1], encoding="utf-8").read()))
samples = sum(len(f.samples) for f in fams)
if not fams or not samples:
    sys.exit("no families")
by = {f.name: f for f in fams}
# the types and units the specification asks for where they fit
want = {"netmetrics_interface": ("info", ""), "netmetrics_interface_operstate": ("stateset", ""),
        "netmetrics_receive_bytes": ("counter", "bytes"),
        "netmetrics_interface_mtu_bytes": ("gauge", "bytes"),
        "netmetrics_scrape_collector_duration_seconds": ("gauge", "seconds"),
        "netmetrics_receive_packets": ("counter", "")}
for name, (typ, unit) in want.items():
    f = by.get(name)
    if f is None or f.type != typ or f.unit != unit:
        sys.exit("%s: %s" % (name, f and (f.type, f.unit)))
# a stateset: per device, exactly one state holds
held = {}
for smp in by["netmetrics_interface_operstate"].samples:
    held[smp.labels["device"]] = held.get(smp.labels["device"], 0) + smp.value
if not held or any(v != 1 for v in held.values()):
    sys.exit("operstate stateset: %r" % held)
print("%d families, %d samples; info, stateset and units as specified" % (len(fams), samples))
' "$NM_TMP/om.body" 2>&1); then
        pass "prometheus_client OpenMetrics parser accepts the body: $out"
    else
        fail "prometheus_client OpenMetrics parser rejects the body: $(echo "$out" | tail -n 3)"
    fi
else
    echo "note: python3-prometheus-client not installed; OpenMetrics parser check skipped"
fi

# -- text for everyone else ---------------------------------------------------
code=$(get star /metrics -H 'Accept: */*')
expect_eq "curl */*: status" "$code" 200
expect_eq "curl */*: Content-Type" "$(header star Content-Type)" "$TEXT_CT"
expect_eq "plain answer: Vary" "$(header star Vary)" "Accept, Accept-Encoding"
expect_eq "plain answer: no Content-Encoding" "$(header star Content-Encoding)" ""
if grep -q '^# EOF' "$NM_TMP/star.body"; then
    fail "text 0.0.4 body holds '# EOF'"
else
    pass "text 0.0.4 body has no '# EOF'"
fi
code=$(get omq0 /metrics -H 'Accept: application/openmetrics-text;q=0, text/plain;q=0.5')
expect_eq "OpenMetrics with q=0: Content-Type" "$(header omq0 Content-Type)" "$TEXT_CT"

# -- gzip -----------------------------------------------------------------------
code=$(get gz /metrics --compressed)
expect_eq "curl --compressed: status" "$code" 200
expect_eq "curl --compressed: Content-Encoding" "$(header gz Content-Encoding)" gzip
expect_eq "curl --compressed: Vary" "$(header gz Vary)" "Accept, Accept-Encoding"
expect_eq "curl --compressed: Content-Type" "$(header gz Content-Type)" "$TEXT_CT"
if [ -s "$NM_TMP/gz.body" ] && diff <(series "$NM_TMP/star.body") <(series "$NM_TMP/gz.body") \
    >"$NM_TMP/gz.diff"; then
    pass "decompressed body has the same $(series "$NM_TMP/gz.body" | wc -l) series as the plain one"
else
    fail "decompressed body differs from the plain one: $(head -c 800 "$NM_TMP/gz.diff")"
fi
# The raw bytes really are one gzip member (curl --compressed hides that).
code=$(get raw /metrics -H 'Accept-Encoding: gzip' -H "Accept: $PROM_ACCEPT")
magic=$(head -c 2 "$NM_TMP/raw.body" | od -An -tx1 | tr -d ' ')
expect_eq "raw gzip body: magic bytes" "$magic" 1f8b
if gzip -dc <"$NM_TMP/raw.body" >"$NM_TMP/raw.txt" 2>"$NM_TMP/raw.err" &&
    [ "$(tail -n 1 "$NM_TMP/raw.txt")" = "# EOF" ]; then
    pass "gzip -dc decodes the OpenMetrics body ($(wc -c <"$NM_TMP/raw.body") of $(wc -c <"$NM_TMP/raw.txt") bytes)"
else
    fail "gzip -dc failed on the body: $(head -c 300 "$NM_TMP/raw.err")"
fi
expect_eq "gzip + OpenMetrics: Content-Type" "$(header raw Content-Type)" "$OM_CT"
code=$(get nogz /metrics -H 'Accept-Encoding: gzip;q=0, identity')
expect_eq "gzip;q=0: no Content-Encoding" "$(header nogz Content-Encoding)" ""
expect_eq "gzip;q=0: Vary" "$(header nogz Vary)" "Accept, Accept-Encoding"

# -- health probes ------------------------------------------------------------
for p in /-/healthy /-/ready; do
    code=$(get probe "$p")
    expect_eq "GET $p: status" "$code" 200
    expect_eq "GET $p: body" "$(cat "$NM_TMP/probe.body")" OK
    expect_eq "GET $p: Content-Type" "$(header probe Content-Type)" "text/plain; charset=utf-8"
done
code=$(get post /-/healthy -X POST)
expect_eq "POST /-/healthy: status" "$code" 405

nm_finish
