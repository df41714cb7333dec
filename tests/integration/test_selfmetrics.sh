#!/bin/sh
# SPDX-License-Identifier: MIT
# The exporter's self metrics and its scrape admission, end to end, in a
# network namespace of our own:
#   - process_* against the kernel's own view of the exporter's pid:
#     resident and virtual memory (/proc/PID/status), open descriptors
#     (/proc/PID/fd, give or take the scrape's own socket), the descriptor
#     limit (prlimit; the exporter runs under `ulimit -n 1237`), the start
#     time (ps -o lstart, and /proc/PID/stat with /proc/stat btime), CPU
#     time (/proc/PID/stat utime + stime);
#   - netmetrics_exporter_http_requests_total moves by exactly the requests
#     made, per route and code; the codes that matter are there at 0 from
#     the start;
#   - --web.max-requests=1: a scrape while another is held gets 503 at once
#     (reason="limit"), and the health probe is still answered;
#   - X-Prometheus-Scrape-Timeout-Seconds: a scrape stuck behind a held one
#     gets 503 by its deadline (reason="timeout"), not when the lock frees;
#     a scrape whose own collection runs past the deadline skips the
#     connections collector (success 0); a generous or junk header changes
#     nothing;
#   - both formats still parse (promparse.py and promtool on text, the
#     python3-prometheus-client OpenMetrics parser on OpenMetrics).
# Slow scrapes are made on demand, not guessed: netlinkgate.so, preloaded,
# holds every rtnetlink recvmsg while a gate file exists and says so by
# creating GATE.held. Root (namespaces); skips (77) otherwise.
. "$(dirname "$0")/lib.sh"

[ "$(uname -s)" = Linux ] || skip "test_selfmetrics needs Linux (/proc, netlink, namespaces)"
require_root
require_cmd curl python3 ps prlimit getconf
nm_require_exporter
nm_require_promparse

SHIM=$top_builddir/tests/integration/.libs/netlinkgate.so
[ -f "$SHIM" ] || die "test shim not built: $SHIM (make check builds it)"
GATE=$NM_TMP/gate
NOFILE=1237
OM_ACCEPT='application/openmetrics-text;version=1.0.0'

NS=$(nm_ns S)
nm_netns_add "$NS"

# The exporter through a wrapper: a descriptor limit of our choosing and the
# gate shim for it alone; exec keeps the pid the exporter's.
REAL_EXPORTER=$NM_EXPORTER
printf '#!/bin/sh\nulimit -n %s || exit 1\nNM_NETLINK_GATE=%s LD_PRELOAD=%s exec %s "$@"\n' \
    "$NOFILE" "$GATE" "$SHIM" "$REAL_EXPORTER" >"$NM_TMP/exporter-gated"
chmod +x "$NM_TMP/exporter-gated"
NM_EXPORTER=$NM_TMP/exporter-gated

# get TAG PATH [CURL_ARGS...]: "CODE SECONDS" on stdout, body in TAG.body.
get() {
    local tag=$1 path=$2 out
    shift 2
    out=$(ip netns exec "$NS" curl -s --noproxy '*' --max-time 20 -o "$NM_TMP/$tag.body" \
        -w '%{http_code} %{time_total}' "$@" "http://127.0.0.1:$PORT$path" 2>/dev/null) || true
    echo "${out:-000 0}"
}

# scrape TAG [CURL_ARGS...]: a 200 text scrape into TAG.body, or die.
scrape() {
    local tag=$1 r
    shift
    r=$(get "$tag" /metrics "$@")
    [ "${r%% *}" = 200 ] || die "$tag: scrape status ${r%% *}, want 200"
}

# value TAG NAME [L=V...]: one sample of TAG's text scrape.
value() {
    local tag=$1
    shift
    nm_promparse "$NM_TMP/$tag.body" --value "$@" 2>/dev/null
}

# expect_eq WHAT GOT WANT
expect_eq() {
    if [ "$2" = "$3" ]; then pass "$1: $2"; else fail "$1: '$2', want '$3'"; fi
}

# expect_near WHAT GOT WANT TOLERANCE (absolute)
expect_near() {
    if python3 -c 'import sys; g, w, t = map(float, sys.argv[1:]); sys.exit(abs(g - w) > t)' \
        "$2" "$3" "$4" 2>/dev/null; then
        pass "$1: $2 (kernel: $3, tolerance $4)"
    else
        fail "$1: $2, kernel says $3 (tolerance $4)"
    fi
}

# delta WHAT BEFORE AFTER WANT NAME [L=V...]: the sample moved by WANT. A
# code never answered before has no series yet: 0.
delta() {
    local what=$1 a b want=$4 va vb
    a=$2 b=$3
    shift 4
    va=$(value "$a" "$@") vb=$(value "$b" "$@")
    va=${va:-0}
    if [ -z "$vb" ]; then
        fail "$what: sample missing after the requests ($*)"
    elif [ $((${vb%.*} - ${va%.*})) -eq "$want" ]; then
        pass "$what: +$want"
    else
        fail "$what: moved by $((${vb%.*} - ${va%.*})), want +$want"
    fi
}

# wait_held: until a scrape is held at the gate (10 s at most).
wait_held() {
    local i
    for ((i = 0; i < 200; i++)); do
        [ -e "$GATE.held" ] && return 0
        sleep 0.05
    done
    die "no scrape reached the gate in 10 s"
}

# om_parse FILE: the python3-prometheus-client OpenMetrics parser on FILE.
om_parse() {
    /usr/bin/python3 -c '
import sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families
fams = {f.name: f for f in text_string_to_metric_families(open(sys.argv[1], encoding="utf-8").read())}
for name, typ in (("process_cpu_seconds", "counter"), ("process_resident_memory_bytes", "gauge"),
                  ("netmetrics_exporter_http_requests", "counter"),
                  ("netmetrics_exporter_scrapes_rejected", "counter")):
    if name not in fams or fams[name].type != typ:
        sys.exit("family %s (%s) missing" % (name, typ))
print("%d families" % len(fams))
' "$1"
}

# ============================================================================
# E1: --web.max-requests=1
nm_start_exporter "$NS" limit --web.max-requests=1
PID=$NM_EXPORTER_PID PORT=$NM_EXPORTER_PORT

# -- request counters present from the start --------------------------------
scrape first
for hc in /metrics:200 /metrics:500 /metrics:503 /:200 /-/healthy:200 /-/ready:200 other:404; do
    expect_eq "fresh exporter: requests_total{handler=\"${hc%:*}\",code=\"${hc##*:}\"}" \
        "$(value first netmetrics_exporter_http_requests_total handler="${hc%:*}" code="${hc##*:}")" 0
done
expect_eq "fresh exporter: in flight (this scrape)" \
    "$(value first netmetrics_exporter_http_requests_in_flight)" 1
for r in limit timeout; do
    expect_eq "fresh exporter: scrapes_rejected_total{reason=\"$r\"}" \
        "$(value first netmetrics_exporter_scrapes_rejected_total reason=$r)" 0
done

# -- process_* against the kernel -------------------------------------------
# The kernel's numbers are read right after the scrape, while nothing else
# talks to the exporter.
scrape proc
status=$(cat "/proc/$PID/status")
kfds=$(ls "/proc/$PID/fd" | wc -l)
ticks=$(getconf CLK_TCK)
kstat=$(sed 's/^.*) //' "/proc/$PID/stat") # fields from 3 on: the name may hold blanks
btime=$(awk '$1 == "btime" { print $2 }' /proc/stat)
rss_kb=$(echo "$status" | awk '$1 == "VmRSS:" { print $2 }')
vm_kb=$(echo "$status" | awk '$1 == "VmSize:" { print $2 }')

got=$(value proc process_resident_memory_bytes)
# RSS moves by a few pages between the scrape and the read
expect_near "process_resident_memory_bytes vs VmRSS" "$got" $((rss_kb * 1024)) $((1024 * 1024))
got=$(value proc process_virtual_memory_bytes)
expect_near "process_virtual_memory_bytes vs VmSize" "$got" $((vm_kb * 1024)) $((1024 * 1024))
# the scrape's own connection is open while it counts, closed after
expect_near "process_open_fds vs /proc/$PID/fd" "$(value proc process_open_fds)" "$kfds" 1
expect_eq "process_max_fds vs prlimit" "$(value proc process_max_fds)" \
    "$(prlimit --pid "$PID" --nofile --output SOFT --noheadings | tr -d ' ')"
expect_eq "process_max_fds is the ulimit the exporter runs under" \
    "$(value proc process_max_fds)" "$NOFILE"
start=$(value proc process_start_time_seconds)
lstart=$(date -d "$(ps -o lstart= -p "$PID")" +%s)
expect_near "process_start_time_seconds vs ps -o lstart (whole seconds)" "$start" "$lstart.5" 0.51
kstart=$(echo "$kstat" | awk -v b="$btime" -v t="$ticks" '{ printf "%.2f", b + $20 / t }')
expect_near "process_start_time_seconds vs /proc/stat btime + starttime" "$start" "$kstart" 0.011
kcpu=$(echo "$kstat" | awk -v t="$ticks" '{ printf "%.2f", ($12 + $13) / t }')
expect_near "process_cpu_seconds_total vs utime + stime" "$(value proc process_cpu_seconds_total)" \
    "$kcpu" 0.05

# -- request counters move by exactly what was asked -------------------------
scrape before
for i in 1 2 3 4 5; do get nf$i /nope >/dev/null; done
for i in 1 2 3; do get hz$i /-/healthy >/dev/null; done
for i in 1 2; do get rd$i /-/ready >/dev/null; done
get root / >/dev/null
for i in 1 2; do get post$i /metrics -X POST >/dev/null; done
r=$(get head /metrics --head)
expect_eq "HEAD /metrics" "${r%% *}" 200
scrape after
delta "5 x GET /nope" before after 5 netmetrics_exporter_http_requests_total handler=other code=404
delta "3 x GET /-/healthy" before after 3 netmetrics_exporter_http_requests_total handler=/-/healthy code=200
delta "2 x GET /-/ready" before after 2 netmetrics_exporter_http_requests_total handler=/-/ready code=200
delta "1 x GET /" before after 1 netmetrics_exporter_http_requests_total handler=/ code=200
delta "2 x POST /metrics" before after 2 netmetrics_exporter_http_requests_total handler=/metrics code=405
# the scrape "before" and the HEAD were answered; "after" counts itself later
delta "scrape + HEAD /metrics" before after 2 netmetrics_exporter_http_requests_total handler=/metrics code=200
delta "no 503 yet" before after 0 netmetrics_exporter_http_requests_total handler=/metrics code=503

# -- both formats parse -------------------------------------------------------
if out=$(nm_promparse "$NM_TMP/after.body" 2>&1); then
    pass "promparse.py accepts the text scrape"
else
    fail "promparse.py: $out"
fi
PROMTOOL=$(command -v promtool || true)
if [ -n "$PROMTOOL" ]; then
    if out=$("$PROMTOOL" check metrics <"$NM_TMP/after.body" 2>&1) && [ -z "$out" ]; then
        pass "promtool check metrics is silent"
    else
        fail "promtool check metrics: $(echo "$out" | head -n 5)"
    fi
else
    echo "note: promtool not installed; test_promtool.sh fails on that, not this test"
fi
r=$(get om /metrics -H "Accept: $OM_ACCEPT")
expect_eq "OpenMetrics scrape" "${r%% *}" 200
if [ "$(tail -n 1 "$NM_TMP/om.body")" = "# EOF" ]; then
    pass "OpenMetrics: # EOF is still last"
else
    fail "OpenMetrics: last line is '$(tail -n 1 "$NM_TMP/om.body")'"
fi
if /usr/bin/python3 -c 'import prometheus_client.openmetrics.parser' 2>/dev/null; then
    if out=$(om_parse "$NM_TMP/om.body" 2>&1); then
        pass "prometheus_client OpenMetrics parser accepts it: $out"
    else
        fail "prometheus_client OpenMetrics parser: $(echo "$out" | tail -n 3)"
    fi
else
    echo "note: python3-prometheus-client not installed; OpenMetrics parser check skipped"
fi

# -- the in-flight limit ---------------------------------------------------------
rm -f "$GATE.held"
touch "$GATE"
get held /metrics >"$NM_TMP/held.result" &
HELD=$!
wait_held
r=$(get busy /metrics)
expect_eq "a second scrape while one is in flight (limit 1)" "${r%% *}" 503
expect_near "and it is answered at once (seconds)" "${r#* }" 0 1
expect_eq "503 body" "$(cat "$NM_TMP/busy.body")" "503 too many scrapes in flight"
r=$(get busyhz /-/healthy)
expect_eq "/-/healthy while a scrape is held" "${r%% *}" 200
rm -f "$GATE"
wait "$HELD"
r=$(cat "$NM_TMP/held.result")
expect_eq "the held scrape, once released" "${r%% *}" 200
scrape afterlimit
expect_eq "scrapes_rejected_total{reason=\"limit\"}" \
    "$(value afterlimit netmetrics_exporter_scrapes_rejected_total reason=limit)" 1
expect_eq "requests_total{handler=\"/metrics\",code=\"503\"}" \
    "$(value afterlimit netmetrics_exporter_http_requests_total handler=/metrics code=503)" 1
expect_eq "scrapes_rejected_total{reason=\"timeout\"}" \
    "$(value afterlimit netmetrics_exporter_scrapes_rejected_total reason=timeout)" 0
kill -TERM "$PID"

# ============================================================================
# E2: no request limit; the scrape timeout, with --web.timeout-offset=100ms
nm_start_exporter "$NS" timeout --collector.connections --web.max-requests=0 --web.timeout-offset=100ms \
    --log.level=debug
PID=$NM_EXPORTER_PID PORT=$NM_EXPORTER_PORT
LOG=$NM_TMP/exporter-timeout.log

# -- a generous timeout, and junk, change nothing ----------------------------------
scrape generous -H 'X-Prometheus-Scrape-Timeout-Seconds: 10'
expect_eq "timeout 10 s: connections collector ran" \
    "$(value generous netmetrics_scrape_collector_success collector=connections)" 1
expect_eq "timeout 10 s: connection families present" \
    "$(value generous netmetrics_connections protocol=tcp family=inet state=listen)" 1
for junk in abc -1 0 1e3 10s ''; do
    r=$(get junk /metrics -H "X-Prometheus-Scrape-Timeout-Seconds: $junk")
    expect_eq "junk timeout header '$junk' is ignored" "${r%% *}" 200
done

# -- waiting behind a held scrape: 503 by the deadline -----------------------------
rm -f "$GATE.held"
touch "$GATE"
get held2 /metrics >"$NM_TMP/held2.result" &
HELD=$!
wait_held
# 0.6 s timeout - 0.1 s offset: 0.5 s to get a turn; the gate stays shut 3 s
get late /metrics -H 'X-Prometheus-Scrape-Timeout-Seconds: 0.6' >"$NM_TMP/late.result" &
LATE=$!
sleep 3
rm -f "$GATE"
wait "$LATE"
wait "$HELD"
r=$(cat "$NM_TMP/late.result")
expect_eq "a scrape stuck behind another past its deadline" "${r%% *}" 503
if python3 -c 'import sys; t = float(sys.argv[1]); sys.exit(not (0.45 <= t < 1.5))' "${r#* }"; then
    pass "and it is answered by its deadline, not when the lock frees: ${r#* } s"
else
    fail "answered after ${r#* } s; its deadline was 0.5 s, the lock freed after 3 s"
fi
expect_eq "503 body" "$(cat "$NM_TMP/late.body")" \
    "503 scrape timeout exceeded waiting for another scrape"
r=$(cat "$NM_TMP/held2.result")
expect_eq "the held scrape, once released" "${r%% *}" 200
grep -q 'scrape refused: waited past its deadline' "$LOG" &&
    pass "logged at debug: scrape refused: waited past its deadline" ||
    fail "no 'scrape refused: waited past its deadline' debug line"

# -- a collection past the deadline skips the connections collector -----------------
rm -f "$GATE.held"
touch "$GATE"
# 1 s - 0.1 s: 0.9 s; the collection is held 2 s
get skip /metrics -H 'X-Prometheus-Scrape-Timeout-Seconds: 1' >"$NM_TMP/skip.result" &
SKIP=$!
wait_held
sleep 2
rm -f "$GATE"
wait "$SKIP"
r=$(cat "$NM_TMP/skip.result")
expect_eq "a scrape whose collection ran past the deadline" "${r%% *}" 200
expect_eq "connections collector skipped: success" \
    "$(value skip netmetrics_scrape_collector_success collector=connections)" 0
expect_eq "connections collector skipped: no netmetrics_connections" \
    "$(grep -c '^netmetrics_connections{' "$NM_TMP/skip.body")" 0
expect_eq "links collector still succeeded" \
    "$(value skip netmetrics_scrape_collector_success collector=links)" 1
grep -q 'connections collector skipped: scrape deadline passed' "$LOG" &&
    pass "logged at debug: connections collector skipped" ||
    fail "no 'connections collector skipped' debug line"
if grep -q 'connections collection failed' "$LOG"; then
    fail "a skip was logged as a failed connections collection"
else
    pass "a skip is not logged as a failure"
fi

scrape final
expect_eq "scrapes_rejected_total{reason=\"timeout\"}" \
    "$(value final netmetrics_exporter_scrapes_rejected_total reason=timeout)" 1
expect_eq "scrapes_rejected_total{reason=\"limit\"} (no limit)" \
    "$(value final netmetrics_exporter_scrapes_rejected_total reason=limit)" 0
expect_eq "the next scrape collects connections again" \
    "$(value final netmetrics_scrape_collector_success collector=connections)" 1
if out=$(nm_promparse "$NM_TMP/skip.body" 2>&1); then
    pass "promparse.py accepts the scrape without connections"
else
    fail "promparse.py: $out"
fi

nm_finish
