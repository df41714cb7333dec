#!/bin/sh
# SPDX-License-Identifier: MIT
# The exporter's HTTP side and process behaviour, end to end, on loopback:
# status codes, Content-Type, HEAD, 405 with Allow, 404, 413, the landing
# page, a custom telemetry path, connection limits, the exit statuses (2
# for bad flags, 1 for a taken port or an unusable collector, 0 on SIGTERM)
# and concurrent scrapes. Needs no root; skips (77) only without curl.
. "$(dirname "$0")/lib.sh"

require_cmd curl
nm_require_exporter

METRICS_CT='text/plain; version=0.0.4; charset=utf-8'
TEXT_CT='text/plain; charset=utf-8'
HTML_CT='text/html; charset=utf-8'

# ----------------------------------------------------------------- helpers --
# http_request TAG METHOD URL [CURL_ARGS...]
# Sends one request; the status code on stdout ("000" when the transport
# failed), headers in $NM_TMP/TAG.headers, body in $NM_TMP/TAG.body.
http_request() {
    local tag=$1 method=$2 url=$3 code
    shift 3
    local how=(-X "$method")
    # curl -X HEAD would wait for a body that never comes; -I is HEAD.
    [ "$method" = HEAD ] && how=(-I)
    code=$(curl -s --noproxy '*' --max-time 10 "${how[@]}" -o "$NM_TMP/$tag.body" \
        -D "$NM_TMP/$tag.headers" -w '%{http_code}' "$@" "$url" 2>/dev/null) || true
    echo "${code:-000}"
}

# http_header TAG NAME: the value of header NAME (case-insensitive) in the
# response saved under TAG, without the trailing CR.
http_header() {
    tr -d '\r' <"$NM_TMP/$1.headers" |
        awk -v n="$(echo "$2" | tr 'A-Z' 'a-z')" '
            { i = index($0, ":"); if (i == 0) next
              k = tolower(substr($0, 1, i - 1)); v = substr($0, i + 1); sub(/^ +/, "", v)
              if (k == n) { print v; exit } }'
}

# http_expect TAG WHAT WANT_STATUS GOT_STATUS [WANT_CONTENT_TYPE]
http_expect() {
    local tag=$1 what=$2 want=$3 got=$4 want_ct=${5:-} ct
    if [ "$got" != "$want" ]; then
        fail "$what: status $got, want $want"
        return 1
    fi
    if [ -n "$want_ct" ]; then
        ct=$(http_header "$tag" Content-Type)
        if [ "$ct" != "$want_ct" ]; then
            fail "$what: Content-Type '$ct', want '$want_ct'"
            return 1
        fi
    fi
    pass "$what: $got${want_ct:+, $want_ct}"
}

# http_start TAG ARGS...: like nm_start_exporter, for any listen address:
# waits for the `msg="listening" address=...` line and sets HTTP_PID and
# HTTP_ADDRESS ("127.0.0.1:40123", "[::1]:40123"). Returns 1 (without
# failing the test) when the exporter exits before listening.
http_start() {
    local tag=$1 log i addr
    shift
    log="$NM_TMP/exporter-$tag.log"
    NM_EXPORTER_LOGS+=("$log")
    "$NM_EXPORTER" "$@" </dev/null >"$log" 2>&1 &
    HTTP_PID=$!
    nm_track_pid "$HTTP_PID"
    HTTP_ADDRESS=
    for ((i = 0; i < 100; i++)); do
        addr=$(sed -n -e 's/.*msg="listening".* address=\([^ ]*\).*/\1/p' \
            -e 's/.*"msg":"listening","address":"\([^"]*\)".*/\1/p' "$log" | head -n 1)
        if [ -n "$addr" ]; then
            HTTP_ADDRESS=$addr
            return 0
        fi
        kill -0 "$HTTP_PID" 2>/dev/null || return 1
        sleep 0.1
    done
    die "exporter '$tag' ($*) logged no 'msg=\"listening\"' line in 10 s"
}

# http_run_fails TAG WANT_STATUS ARGS...: runs the exporter in the
# foreground (at most 10 s); its stdout in $NM_TMP/TAG.out, stderr in
# $NM_TMP/TAG.err; passes when it exits with WANT_STATUS.
http_run_fails() {
    local tag=$1 want=$2 rc
    shift 2
    timeout 10 "$NM_EXPORTER" "$@" </dev/null >"$NM_TMP/$tag.out" 2>"$NM_TMP/$tag.err"
    rc=$?
    if [ "$rc" -eq "$want" ]; then
        pass "exporter $* exits $rc"
        return 0
    fi
    fail "exporter $* exited $rc, want $want; stderr: $(head -c 500 "$NM_TMP/$tag.err")"
    return 1
}

# http_one_line TAG NEEDLE: stderr of TAG is exactly one line holding NEEDLE
# and stdout is empty.
http_one_line() {
    local tag=$1 needle=$2 lines
    lines=$(wc -l <"$NM_TMP/$tag.err")
    if [ "$lines" -eq 1 ] && grep -qF -- "$needle" "$NM_TMP/$tag.err" &&
        [ ! -s "$NM_TMP/$tag.out" ]; then
        pass "one line naming '$needle': $(cat "$NM_TMP/$tag.err")"
    else
        fail "want one stderr line with '$needle', got $lines: $(head -c 500 "$NM_TMP/$tag.err")"
    fi
}

# ------------------------------------------------------- flags and statuses --
http_run_fails help 0 --help &&
    grep -q -- '--web.listen-address=\[HOST\]:PORT' "$NM_TMP/help.out" &&
    grep -q -- '--web.connection-timeout' "$NM_TMP/help.out" &&
    pass "--help lists the flags" || fail "--help output lacks flags"
http_run_fails version 0 --version &&
    head -n 1 "$NM_TMP/version.out" | grep -Eq '^netmetrics_exporter [0-9]+\.[0-9]+\.[0-9]+' &&
    pass "--version: $(head -n 1 "$NM_TMP/version.out")" || fail "--version output"

http_run_fails unknown 2 --foo && http_one_line unknown "unknown flag --foo"
http_run_fails unknown2 2 --web.listen-address=127.0.0.1:0 --bogus=1 &&
    http_one_line unknown2 "unknown flag --bogus"
http_run_fails badaddr 2 --web.listen-address=x && http_one_line badaddr "--web.listen-address"
http_run_fails badport 2 --web.listen-address=127.0.0.1:70000 &&
    http_one_line badport 'invalid value "127.0.0.1:70000" for --web.listen-address'
http_run_fails badpath 2 --web.telemetry-path=metrics && http_one_line badpath "--web.telemetry-path"
http_run_fails badconn 2 --web.max-connections=-1 && http_one_line badconn "--web.max-connections"
http_run_fails missing 2 --log.level && http_one_line missing "missing value for --log.level"

# The shipped etc/default file: its ARGS and every commented example parse.
# An error outranks --help, so `ARGS --help` exits 0 only for valid flags.
DEFAULTS="$top_srcdir/etc/default/netmetrics_exporter"
[ -r "$DEFAULTS" ] || die "missing $DEFAULTS"
n=0
while IFS= read -r line; do
    args=${line#\#}
    args=${args#ARGS=\"}
    args=${args%\"}
    # unquoted on purpose: systemd splits $ARGS on white space the same way
    # shellcheck disable=SC2086
    if "$NM_EXPORTER" $args --help >/dev/null 2>"$NM_TMP/defaults.err"; then
        n=$((n + 1))
    else
        fail "etc/default example does not parse: $args: $(cat "$NM_TMP/defaults.err")"
    fi
done < <(grep -E '^#?ARGS="' "$DEFAULTS")
[ "$n" -ge 2 ] && pass "etc/default/netmetrics_exporter: $n ARGS lines parse" ||
    fail "etc/default/netmetrics_exporter: only $n ARGS lines parse"

# The shipped unit passes systemd's own check (with ExecStart pointed at the
# exporter under test, which verify requires to exist).
if command -v systemd-analyze >/dev/null 2>&1; then
    sed "s|^ExecStart=[^ ]*|ExecStart=$NM_EXPORTER|" \
        "$top_srcdir/etc/netmetrics_exporter.service" >"$NM_TMP/netmetrics_exporter.service"
    if systemd-analyze verify --man=no "$NM_TMP/netmetrics_exporter.service" \
        >"$NM_TMP/verify.out" 2>&1; then
        pass "systemd-analyze verify accepts etc/netmetrics_exporter.service"
    else
        fail "systemd-analyze verify: $(cat "$NM_TMP/verify.out")"
    fi
else
    echo "note: no systemd-analyze; unit not verified"
fi

# An unusable collector: logged, exit 1.
http_run_fails nocollector 1 --web.listen-address=127.0.0.1:0 --collector.backend=procfs \
    --path.procfs="$NM_TMP/no-such-proc" &&
    grep -q 'level=error msg="cannot open the collector"' "$NM_TMP/nocollector.err" &&
    pass "collector failure is logged: $(grep -o 'err=.*' "$NM_TMP/nocollector.err")" ||
    fail "no 'cannot open the collector' line: $(cat "$NM_TMP/nocollector.err")"

# ------------------------------------------------------------ main exporter --
# Per-IP limit above the 20 concurrent scrapes below (all from 127.0.0.1).
nm_start_exporter "" main --web.max-connections-per-ip=32
PORT=$NM_EXPORTER_PORT
MAIN_PID=$NM_EXPORTER_PID
BASE="http://127.0.0.1:$PORT"
MAIN_LOG="$NM_TMP/exporter-main.log"
pass "listening on 127.0.0.1:$PORT (from the log)"

code=$(http_request get GET "$BASE/metrics")
http_expect get "GET /metrics" 200 "$code" "$METRICS_CT"
if [ -s "$NM_TMP/get.body" ] && grep -q '^# TYPE ' "$NM_TMP/get.body"; then
    pass "GET /metrics has a body ($(wc -c <"$NM_TMP/get.body") bytes)"
else
    fail "GET /metrics body is empty or has no # TYPE line"
fi
# The body is rendered while it is sent: HTTP/1.1 chunked, no length up
# front, and complete (curl fails a chunked body cut short).
te=$(http_header get Transfer-Encoding)
[ "$te" = "chunked" ] && pass "GET /metrics is sent chunked" ||
    fail "Transfer-Encoding '$te', want chunked"
[ -z "$(http_header get Content-Length)" ] && pass "no Content-Length on a streamed body" ||
    fail "Content-Length on a chunked body"
[ "$(tail -c 1 "$NM_TMP/get.body" | od -An -c | tr -d ' ')" = '\n' ] &&
    grep -q '^netmetrics_exporter_scrapes_rejected_total{reason="timeout"} ' "$NM_TMP/get.body" &&
    pass "the body ends with the last family, newline-terminated" ||
    fail "the body is cut short"
# HTTP/1.0 has no chunks: the same body, ended by closing the connection.
code=$(http_request http10 GET "$BASE/metrics" -0)
http_expect http10 "GET /metrics over HTTP/1.0" 200 "$code" "$METRICS_CT"
[ -z "$(http_header http10 Transfer-Encoding)" ] &&
    [ "$(http_header http10 Connection)" = "close" ] &&
    [ "$(grep -c '^# TYPE ' "$NM_TMP/http10.body")" = "$(grep -c '^# TYPE ' "$NM_TMP/get.body")" ] &&
    grep -q '^netmetrics_exporter_scrapes_rejected_total{reason="timeout"} ' "$NM_TMP/http10.body" &&
    pass "HTTP/1.0: whole body, not chunked, connection closed at its end" ||
    fail "HTTP/1.0 answer: TE '$(http_header http10 Transfer-Encoding)', Connection '$(http_header http10 Connection)'"

code=$(http_request query GET "$BASE/metrics?x=1")
http_expect query "GET /metrics?x=1" 200 "$code" "$METRICS_CT"

code=$(http_request head HEAD "$BASE/metrics")
http_expect head "HEAD /metrics" 200 "$code" "$METRICS_CT"
# With -I, curl writes the headers to -o as well; what counts is what it
# downloaded as a body.
size=$(curl -s --noproxy '*' --max-time 10 -I -o /dev/null -w '%{size_download}' "$BASE/metrics")
[ "$size" = 0 ] && pass "HEAD /metrics has no body" || fail "HEAD /metrics sent $size body bytes"

code=$(http_request post POST "$BASE/metrics" --data-binary 'x=1')
http_expect post "POST /metrics (with a body)" 405 "$code" "$TEXT_CT"
allow=$(http_header post Allow)
[ "$allow" = "GET, HEAD" ] && pass "405 carries Allow: $allow" || fail "Allow header '$allow'"
code=$(http_request put PUT "$BASE/metrics")
http_expect put "PUT /metrics" 405 "$code" "$TEXT_CT"
code=$(http_request options OPTIONS "$BASE/")
http_expect options "OPTIONS /" 405 "$code" "$TEXT_CT"

code=$(http_request getbody GET "$BASE/metrics" --data-binary 'payload')
http_expect getbody "GET /metrics with a body" 413 "$code" "$TEXT_CT"

code=$(http_request nope GET "$BASE/nope")
http_expect nope "GET /nope" 404 "$code" "$TEXT_CT"
grep -q 'not found' "$NM_TMP/nope.body" && pass "404 has a short text body" || fail "404 body"
code=$(http_request slash GET "$BASE/metrics/")
http_expect slash "GET /metrics/" 404 "$code" "$TEXT_CT"

code=$(http_request landing GET "$BASE/")
http_expect landing "GET /" 200 "$code" "$HTML_CT"
grep -q '<a href="/metrics">' "$NM_TMP/landing.body" &&
    pass "landing page links to /metrics" || fail "landing page has no link to /metrics"

big=$(head -c 40000 /dev/zero | tr '\0' a)
code=$(http_request bighdr GET "$BASE/metrics" -H "X-Big: $big")
case $code in
4??) pass "a 40 KB header is refused with $code" ;;
*) fail "a 40 KB header got status $code, want 4xx" ;;
esac

# 20 scrapes at once: all served (they take turns on the scrape lock).
pids=()
for i in $(seq 1 20); do
    curl -s --noproxy '*' --max-time 20 -o "$NM_TMP/c$i.body" -w '%{http_code}' \
        "$BASE/metrics" >"$NM_TMP/c$i.code" 2>/dev/null &
    pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
ok=0
for i in $(seq 1 20); do
    [ "$(cat "$NM_TMP/c$i.code")" = 200 ] && [ -s "$NM_TMP/c$i.body" ] && ok=$((ok + 1))
done
[ "$ok" -eq 20 ] && pass "20 concurrent scrapes: all 200" || fail "20 concurrent scrapes: $ok of 20 got 200"

# The port is taken: a second exporter exits 1 and says why.
http_run_fails inuse 1 --web.listen-address="127.0.0.1:$PORT" &&
    grep -qi "address already in use" "$NM_TMP/inuse.err" &&
    grep -q "127.0.0.1:$PORT" "$NM_TMP/inuse.err" &&
    pass "port in use: $(grep -o 'err=.*' "$NM_TMP/inuse.err")" ||
    fail "no clear 'address already in use' message: $(cat "$NM_TMP/inuse.err")"

# SIGHUP is logged and ignored.
kill -HUP "$MAIN_PID"
sleep 0.3
if kill -0 "$MAIN_PID" 2>/dev/null && grep -q 'msg="ignoring SIGHUP' "$MAIN_LOG"; then
    code=$(http_request afterhup GET "$BASE/metrics")
    http_expect afterhup "GET /metrics after SIGHUP" 200 "$code" "$METRICS_CT"
else
    fail "SIGHUP was not ignored"
fi

# SIGTERM: exit 0, promptly, after logging.
kill -TERM "$MAIN_PID"
t0=$(date +%s%N)
for ((i = 0; i < 50; i++)); do
    kill -0 "$MAIN_PID" 2>/dev/null || break
    sleep 0.1
done
wait "$MAIN_PID"
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
if [ "$rc" -eq 0 ] && [ "$ms" -lt 5000 ]; then
    pass "SIGTERM: exit 0 after $ms ms"
else
    fail "SIGTERM: exit status $rc after $ms ms"
fi
grep -q 'msg="shutting down" signal=SIGTERM' "$MAIN_LOG" &&
    pass "logged shutting down" || fail "no 'shutting down' line"

# ------------------------------------------------------ custom telemetry path --
# (http_start: the JSON listening line is not the logfmt one nm_start_exporter reads)
http_start custom --web.listen-address=127.0.0.1:0 --web.telemetry-path=/custom/path \
    --log.format=json || die "exporter with a custom path did not start"
B="http://$HTTP_ADDRESS"
code=$(http_request custom GET "$B/custom/path")
http_expect custom "GET /custom/path" 200 "$code" "$METRICS_CT"
code=$(http_request custom404 GET "$B/metrics")
http_expect custom404 "GET /metrics with a custom path" 404 "$code" "$TEXT_CT"
code=$(http_request customlanding GET "$B/")
http_expect customlanding "GET / with a custom path" 200 "$code" "$HTML_CT"
grep -q '<a href="/custom/path">' "$NM_TMP/customlanding.body" &&
    pass "landing page links to /custom/path" || fail "landing page lacks /custom/path"
grep -q '"level":"info","msg":"listening","address":"127.0.0.1:' "$NM_TMP/exporter-custom.log" &&
    pass "--log.format=json writes JSON lines" || fail "no JSON listening line"

# ---------------------------------------------------------- connection limits --
# One idle connection fills a per-IP limit of 1: the next is refused; once
# it closes, requests are served again. bash's /dev/tcp holds it open.
nm_start_exporter "" limit --web.max-connections-per-ip=1 --web.connection-timeout=1
L="http://127.0.0.1:$NM_EXPORTER_PORT"
exec 3<>"/dev/tcp/127.0.0.1/$NM_EXPORTER_PORT"
sleep 0.2
code=$(http_request limited GET "$L/metrics")
[ "$code" = 000 ] && pass "second connection from one address refused at limit 1" ||
    fail "connection past the per-IP limit got status $code"
# The idle connection is closed by the 1 s timeout: read sees EOF (status 1)
# rather than timing out (status > 128).
read -r -t 4 -u 3 _ignored
rc=$?
exec 3<&-
[ "$rc" -eq 1 ] && pass "idle connection closed by --web.connection-timeout=1" ||
    fail "idle connection not closed (read status $rc)"
# The server frees the slot a moment after the client sees the close
# (its listening thread reaps the connection's thread): retry up to 1 s.
for _ in 1 2 3 4 5 6 7 8 9 10; do
    code=$(http_request unlimited GET "$L/metrics")
    [ "$code" = 200 ] && break
    sleep 0.1
done
http_expect unlimited "GET /metrics once the idle connection is gone" 200 "$code" "$METRICS_CT"

# ----------------------------------------------- dual stack, IPv6, procfs --
if http_start dual --web.listen-address=:0; then
    dport=${HTTP_ADDRESS##*:}
    case $HTTP_ADDRESS in
    "[::]:"*) pass "empty host listens dual-stack on $HTTP_ADDRESS" ;;
    "0.0.0.0:"*) pass "empty host listens on $HTTP_ADDRESS (no IPv6 here)" ;;
    *) fail "empty host listens on $HTTP_ADDRESS" ;;
    esac
    code=$(http_request dual4 GET "http://127.0.0.1:$dport/metrics")
    http_expect dual4 "GET over IPv4 on the wildcard socket" 200 "$code" "$METRICS_CT"
    if [ "${HTTP_ADDRESS#\[}" != "$HTTP_ADDRESS" ] && grep -q '^0\{31\}1 .* lo$' /proc/net/if_inet6 2>/dev/null; then
        code=$(http_request dual6 GET "http://[::1]:$dport/metrics")
        http_expect dual6 "GET over IPv6 on the wildcard socket" 200 "$code" "$METRICS_CT"
    fi
else
    fail "exporter on :0 did not start: $(cat "$NM_TMP/exporter-dual.log")"
fi

if grep -q '^0\{31\}1 .* lo$' /proc/net/if_inet6 2>/dev/null; then
    if http_start v6 --web.listen-address='[::1]:0'; then
        case $HTTP_ADDRESS in
        "[::1]:"*) pass "[::1]:0 listens on $HTTP_ADDRESS" ;;
        *) fail "[::1]:0 listens on $HTTP_ADDRESS" ;;
        esac
        code=$(http_request v6 GET "http://$HTTP_ADDRESS/metrics")
        http_expect v6 "GET over [::1]" 200 "$code" "$METRICS_CT"
    else
        fail "exporter on [::1]:0 did not start: $(cat "$NM_TMP/exporter-v6.log")"
    fi
else
    echo "note: no ::1 on lo; IPv6 checks skipped"
fi

# A collection failing after start still answers 200 (self metrics say
# success 0), logs a warning, and recovers.
mkdir -p "$NM_TMP/proc/net"
cp /proc/net/dev "$NM_TMP/proc/net/dev"
# min-interval 0: each scrape collects (else the one right after the good
# scrape would reuse its snapshot and never see the failure)
nm_start_exporter "" procfs --collector.backend=procfs --path.procfs="$NM_TMP/proc" \
    --collector.speed.min-interval=0
P="http://127.0.0.1:$NM_EXPORTER_PORT"
code=$(http_request pf1 GET "$P/metrics")
http_expect pf1 "GET /metrics from a procfs root" 200 "$code" "$METRICS_CT"
mv "$NM_TMP/proc/net/dev" "$NM_TMP/proc/net/dev.away"
code=$(http_request pf2 GET "$P/metrics")
http_expect pf2 "GET /metrics while collection fails" 200 "$code" "$METRICS_CT"
grep -q 'level=warn msg="collection failed"' "$NM_TMP/exporter-procfs.log" &&
    pass "failed collection logged at warn" || fail "no 'collection failed' warning"
mv "$NM_TMP/proc/net/dev.away" "$NM_TMP/proc/net/dev"
code=$(http_request pf3 GET "$P/metrics")
http_expect pf3 "GET /metrics after recovery" 200 "$code" "$METRICS_CT"
grep -q 'msg="collection recovered"' "$NM_TMP/exporter-procfs.log" &&
    pass "recovery logged" || fail "no 'collection recovered' line"

nm_finish
