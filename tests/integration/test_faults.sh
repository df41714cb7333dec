#!/bin/sh
# SPDX-License-Identifier: MIT
# Faults the exporter must survive, without root:
#   - netlink unavailable: the exporter runs with tests/integration/
#     nonetlink.so preloaded (socket(AF_NETLINK) fails with
#     EPROTONOSUPPORT). With the default backend it falls back to procfs,
#     says so once in the log ("collector ready" backend=procfs, no warning
#     per scrape) and in netmetrics_collector_backend_info; with
#     --collector.backend=netlink it refuses to start (status 1) with a
#     message naming the problem.
#   - /proc or /sys unreadable or truncated (fixture roots copied from
#     tests/fixtures/procfs/basic, with --collector.backend=procfs): the
#     scrape is still 200 and valid, the links collector reports success 0,
#     the self metrics are still there; when the files come back, success
#     is 1 again without a restart.
. "$(dirname "$0")/lib.sh"

require_cmd curl python3
nm_require_exporter
nm_require_promparse

SHIM=$top_builddir/tests/integration/.libs/nonetlink.so
[ -f "$SHIM" ] || die "test shim not built: $SHIM (make check builds it)"
BASIC=$top_srcdir/tests/fixtures/procfs/basic

# scrape_check TAG: scrapes the current exporter into $NM_TMP/TAG.prom; the
# status must be 200 and the text must parse.
scrape_check() {
    local tag=$1 code
    code=$(curl -s --noproxy '*' --max-time 10 -o "$NM_TMP/$tag.prom" -w '%{http_code}' \
        "http://127.0.0.1:$NM_EXPORTER_PORT/metrics") || code=000
    if [ "$code" != 200 ]; then
        fail "$tag: status $code, want 200"
        return 1
    fi
    if ! nm_promparse "$NM_TMP/$tag.prom" >"$NM_TMP/$tag.parse" 2>&1; then
        fail "$tag: does not parse: $(head -n 2 "$NM_TMP/$tag.parse")"
        return 1
    fi
    return 0
}

# value TAG NAME LABEL=VALUE...: one sample's value from TAG's scrape.
value() {
    local tag=$1
    shift
    nm_promparse "$NM_TMP/$tag.prom" --value "$@" 2>/dev/null
}

# expect_value TAG WHAT WANT NAME LABELS...
expect_value() {
    local tag=$1 what=$2 want=$3 got
    shift 3
    got=$(value "$tag" "$@")
    if [ "$got" = "$want" ]; then
        pass "$what: $got"
    else
        fail "$what: got '${got}', want $want"
    fi
}

# -- netlink unavailable ------------------------------------------------------------
# Through a wrapper, so only the exporter gets the shim (not the helpers
# nm_start_exporter runs); exec keeps the pid the exporter's.
REAL_EXPORTER=$NM_EXPORTER
printf '#!/bin/sh\nLD_PRELOAD=%s exec %s "$@"\n' "$SHIM" "$REAL_EXPORTER" >"$NM_TMP/exporter-nonetlink"
chmod +x "$NM_TMP/exporter-nonetlink"
NM_EXPORTER=$NM_TMP/exporter-nonetlink
nm_start_exporter "" nonetlink
NM_EXPORTER=$REAL_EXPORTER
for i in 1 2 3 4 5; do
    scrape_check "nonetlink$i" || break
done
expect_value nonetlink5 "without netlink, netmetrics_collector_backend_info says procfs" 1 \
    netmetrics_collector_backend_info backend=procfs
expect_value nonetlink5 "without netlink, the links collector still succeeds" 1 \
    netmetrics_scrape_collector_success collector=links
n=$(python3 "$NM_PROMPARSE" "$NM_TMP/nonetlink5.prom" --json |
    python3 -c 'import json,sys; print(len({s["labels"].get("device") for s in json.load(sys.stdin) if s["name"]=="netmetrics_interface_info"}))' 2>/dev/null || echo 0)
[ "$n" -ge 1 ] && pass "without netlink, $n interface(s) reported from /proc" ||
    fail "without netlink, no interface reported"
log=$NM_TMP/exporter-nonetlink.log
ready=$(grep -c 'msg="collector ready" backend=procfs' "$log")
[ "$ready" -eq 1 ] && pass "the log says backend=procfs once" ||
    fail "the log says backend=procfs $ready times"
warns=$(grep -c 'level=\(warn\|error\)' "$log")
[ "$warns" -eq 0 ] && pass "no warning per scrape after the fallback" ||
    fail "$warns warnings after the fallback: $(grep -m1 'level=\(warn\|error\)' "$log")"

rc=0
LD_PRELOAD=$SHIM "$NM_EXPORTER" --web.listen-address=127.0.0.1:0 --collector.backend=netlink \
    >"$NM_TMP/netlink-forced.log" 2>&1 </dev/null || rc=$?
if [ "$rc" -eq 1 ] && grep -q 'msg="cannot open the collector"' "$NM_TMP/netlink-forced.log"; then
    pass "--collector.backend=netlink without netlink: exit 1, \"cannot open the collector\""
else
    fail "--collector.backend=netlink without netlink: exit $rc: $(tail -n 1 "$NM_TMP/netlink-forced.log")"
fi

# -- /proc and /sys unreadable or truncated, at run time ------------------------------
ROOT=$NM_TMP/root
cp -r "$BASIC" "$ROOT"
chmod -R u+w "$ROOT"   # the copy of a read-only source tree (distcheck) is read-only
nm_start_exporter "" fixture --collector.backend=procfs --path.procfs="$ROOT/proc" \
    --path.sysfs="$ROOT/sys" --collector.speed.min-interval=0 --collector.connections
scrape_check good &&
    expect_value good "fixture root: links succeed" 1 netmetrics_scrape_collector_success collector=links
# The fixture root has no /proc/net/tcp: the connections collector fails
# alone, the scrape is still a 200 with every interface.
expect_value good "no /proc/net/tcp*: connections success 0, the scrape still served" 0 \
    netmetrics_scrape_collector_success collector=connections
scrape_check good2
n=$(grep -c 'msg="connections collection failed"' "$NM_TMP/exporter-fixture.log")
[ "$n" -eq 1 ] && pass "a connections failure that lasts is logged once" ||
    fail "connections failure logged $n times over two scrapes"

# /proc/net/dev unreadable (a directory in its place: root reads any file).
mv "$ROOT/proc/net/dev" "$ROOT/proc/net/dev.saved"
mkdir "$ROOT/proc/net/dev"
scrape_check procdev_unreadable &&
    expect_value procdev_unreadable "/proc/net/dev unreadable: 200, links success" 0 \
        netmetrics_scrape_collector_success collector=links
expect_value procdev_unreadable "/proc/net/dev unreadable: self metrics still served" 1 \
    netmetrics_collector_backend_info backend=procfs
rmdir "$ROOT/proc/net/dev"

# /proc/net/dev truncated in the middle of a row.
head -c 300 "$ROOT/proc/net/dev.saved" >"$ROOT/proc/net/dev"
scrape_check procdev_truncated &&
    expect_value procdev_truncated "/proc/net/dev cut mid-row: 200, links success" 0 \
        netmetrics_scrape_collector_success collector=links
# Empty.
: >"$ROOT/proc/net/dev"
scrape_check procdev_empty &&
    expect_value procdev_empty "/proc/net/dev empty: 200, links success" 0 \
        netmetrics_scrape_collector_success collector=links
mv "$ROOT/proc/net/dev.saved" "$ROOT/proc/net/dev"

# /sys/class/net unreadable (a file in its place).
mv "$ROOT/sys/class/net" "$ROOT/sys/class/net.saved"
echo garbage >"$ROOT/sys/class/net"
scrape_check sys_unreadable &&
    expect_value sys_unreadable "/sys/class/net unreadable: 200, links success" 0 \
        netmetrics_scrape_collector_success collector=links
rm "$ROOT/sys/class/net"
mv "$ROOT/sys/class/net.saved" "$ROOT/sys/class/net"

# A sysfs attribute truncated to nothing: still 200 and valid.
for f in "$ROOT"/sys/class/net/eth0/*; do
    [ -f "$f" ] && : >"$f"
done
scrape_check sysattr_empty && pass "eth0's sysfs attributes emptied: 200 and valid"

# Everything back: success 1 again, same process.
rm -rf "$ROOT"
cp -r "$BASIC" "$ROOT"
chmod -R u+w "$ROOT"
scrape_check recovered &&
    expect_value recovered "files restored: links succeed again without a restart" 1 \
        netmetrics_scrape_collector_success collector=links
kill -0 "$NM_EXPORTER_PID" 2>/dev/null && pass "the exporter is still running" ||
    fail "the exporter died"
nm_finish
