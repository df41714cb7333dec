#!/bin/sh
# SPDX-License-Identifier: MIT
# Device and type filters and the collector switches, on the kernel.
#
# Namespace A holds lo, vA (a quiet veth whose peer vB sits in namespace
# B), a bridge br0 with the veth p0 (peer p1) as its port, and two veth
# pairs with hostile names: 'q"x{=,#}' (peer h1peer) and nm<0xff>x, not
# UTF-8 (peer h2peer). Every one but lo is type="virtual". Asserted, on
# the text format (promparse.py, strict) and on OpenMetrics (the
# prometheus_client parser, when installed), for the set of `device`
# label values of every metric that carries one:
#  (a) no filter: every interface, in every per-interface family;
#  (b) --collector.device-include='A$|r0' keeps exactly vA and br0 (a match
#      anywhere in the name, as node_exporter's filter);
#  (c) --collector.device-exclude='^p|"|<0xff>' drops exactly p0, p1 and
#      the two hostile names (matched on the name's bytes);
#  (d) --collector.type-exclude=virtual leaves only lo; with loopback too,
#      no per-interface series at all, and the output still parses;
#  (e) speeds under a filter: vA's transmit speed follows real traffic to
#      B, and the totals are the sum over the interfaces left;
#  (f) --no-collector.addresses / --no-collector.wireless: their families
#      and self samples are absent, and (strace, when installed) the
#      exporter sends no RTM_GETADDR and opens no /proc/net/wireless, while
#      the default exporter does both;
#  (g) --collector.disable-defaults --collector.netdev: counters only;
#      --collector.disable-defaults --collector.connections: no interface
#      series, no links part, the connections families;
#  (h) bad flags (both regexes, a bad regex, an unknown type) exit 2 with
#      one line naming the flag.
# Needs root; skips (77) otherwise.
. "$(dirname "$0")/lib.sh"

require_root
require_cmd ip curl python3
nm_require_exporter
nm_require_promparse

A=$(nm_ns A)
B=$(nm_ns B)
CHECK="$NM_TMP/filters.py"
export NM_INTEGRATION_DIR

# -------------------------------------------------------------- the checker --
# check.py FILE FORMAT EXPECT [present=NAME,...] [absent=PREFIX,...]
# EXPECT is the exact set of device labels, comma-separated ("-" for none;
# the hostile names are given as their labels). Every metric with a device
# label must hold a subset of it, the union must be all of it, and the
# per-interface metrics every interface has must hold exactly it.
cat >"$CHECK" <<'PY'
import os, sys
sys.path.insert(0, os.environ["NM_INTEGRATION_DIR"])
import promparse

path, fmt, expect = sys.argv[1], sys.argv[2], sys.argv[3]
want = set() if expect == "-" else set(expect.split("|"))
opts = dict(a.split("=", 1) for a in sys.argv[4:])
FAILS = 0
def ok(msg): print("ok: " + msg)
def bad(msg):
    global FAILS
    FAILS += 1
    print("FAIL: " + msg)

tag = "%s %s" % (os.path.basename(path), fmt)
samples = []  # (sample name, labels)
if fmt == "text":
    try:
        m = promparse.parse(open(path, "rb").read())
    except promparse.ParseError as e:
        bad("%s: promparse rejects it: %s" % (tag, e))
        sys.exit(1)
    samples = [(s.name, s.labels) for s in m.samples]
else:
    from prometheus_client.openmetrics.parser import text_string_to_metric_families
    try:
        fams = list(text_string_to_metric_families(open(path, encoding="utf-8").read()))
    except Exception as e:
        bad("%s: OpenMetrics parser rejects it: %s" % (tag, e))
        sys.exit(1)
    samples = [(s.name, s.labels) for f in fams for s in f.samples]
ok("%s parses (%d samples)" % (tag, len(samples)))

per = {}
for name, labels in samples:
    if "device" in labels:
        per.setdefault(name, set()).add(labels["device"])
union = set().union(*per.values()) if per else set()
for name, devs in sorted(per.items()):
    if not devs <= want:
        bad("%s: %s has devices %r outside %r" % (tag, name, sorted(devs - want), sorted(want)))
if union == want:
    ok("%s: device labels are exactly %s" % (tag, sorted(want) if want else "none"))
else:
    bad("%s: device labels %r, want %r" % (tag, sorted(union), sorted(want)))
# Metrics every interface has, when their collector is on.
full = ["netmetrics_receive_bytes_total", "netmetrics_interface_info",
        "netmetrics_interface_up", "netmetrics_interface_mtu_bytes"]
for name in full:
    if name in per and per[name] != want:
        bad("%s: %s covers %r, want %r" % (tag, name, sorted(per[name]), sorted(want)))
names = {n for n, _ in samples}
for n in filter(None, opts.get("present", "").split(",")):
    if n in names:
        ok("%s: %s present" % (tag, n))
    else:
        bad("%s: %s absent" % (tag, n))
for p in filter(None, opts.get("absent", "").split(",")):
    hit = sorted(n for n in names if n.startswith(p))
    if hit:
        bad("%s: %s present: %s" % (tag, p, hit[:3]))
    else:
        ok("%s: nothing named %s*" % (tag, p))
for c in filter(None, opts.get("absent_part", "").split(",")):
    hit = [n for n, l in samples if l.get("collector") == c]
    if hit:
        bad("%s: self samples for collector=%s: %s" % (tag, c, hit))
    else:
        ok("%s: no self sample for collector=%s" % (tag, c))
for c in filter(None, opts.get("part_ok", "").split(",")):
    if (("netmetrics_scrape_collector_success", {"collector": c}) in
            [(n, l) for n, l in samples]):
        ok("%s: collector=%s reported" % (tag, c))
    else:
        bad("%s: no netmetrics_scrape_collector_success{collector=%s}" % (tag, c))
sys.exit(1 if FAILS else 0)
PY

# The OpenMetrics parser comes from Debian's python3-prometheus-client, for
# the system interpreter (the python3 on PATH may be another build).
OM_PY=
if /usr/bin/python3 -c 'import prometheus_client.openmetrics.parser' 2>/dev/null; then
    OM_PY=/usr/bin/python3
else
    echo "note: python3-prometheus-client not installed; OpenMetrics checks skipped"
fi
OM_ACCEPT='application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5'

# run_check TAG ARGS...: the checker's ok:/FAIL: lines become this test's.
run_check() {
    local tag=$1 out line
    shift
    out=$("$@" 2>&1)
    while IFS= read -r line; do
        case $line in
        ok:*) pass "${line#ok: }" ;;
        FAIL:*) fail "${line#FAIL: }" ;;
        *) [ -n "$line" ] && fail "$tag: $line" ;;
        esac
    done <<<"$out"
}

# scrape_both TAG EXPECT [CHECKER ARGS...]: scrapes the current exporter in
# both formats and checks each.
scrape_both() {
    local tag=$1 expect=$2
    shift 2
    nm_scrape_to "$A" "$NM_EXPORTER_PORT" "$NM_TMP/$tag.prom"
    run_check "$tag" python3 "$CHECK" "$NM_TMP/$tag.prom" text "$expect" "$@"
    [ -n "$OM_PY" ] || return 0
    ip netns exec "$A" curl -sS --fail --max-time 10 --noproxy '*' -H "Accept: $OM_ACCEPT" \
        -o "$NM_TMP/$tag.om" "http://127.0.0.1:$NM_EXPORTER_PORT/metrics" ||
        { fail "$tag: OpenMetrics scrape failed"; return 0; }
    tail -n 1 "$NM_TMP/$tag.om" | grep -qx '# EOF' || fail "$tag: OpenMetrics body lacks # EOF"
    run_check "$tag" "$OM_PY" "$CHECK" "$NM_TMP/$tag.om" om "$expect" "$@"
}

stop_exporter() {
    kill -TERM "$NM_EXPORTER_PID" 2>/dev/null
    wait "$NM_EXPORTER_PID" 2>/dev/null
}

# ------------------------------------------------------------- the network --
nm_netns_add "$A"
nm_netns_add "$B"
H1='q"x{=,#}'
H2=$(printf 'nm\377x')
H2_LABEL='nm\xffx' # the label the exporter promises for that byte
ia() { ip -n "$A" "$@"; }
ia link add vA type veth peer name vB netns "$B" || die "cannot create veth vA/vB"
ia link add p0 type veth peer name p1 || die "cannot create veth p0/p1"
ia link add br0 type bridge || die "cannot create bridge br0"
ia link set p0 master br0 || die "cannot enslave p0"
ia link add "$H1" type veth peer name h1peer || die "cannot create veth '$H1'"
ia link add "$H2" type veth peer name h2peer || die "cannot create a veth with a non-UTF-8 name"
# vA/vB quiet and addressed: the only traffic on them is what (e) sends.
ia link set vA addrgenmode none || die "addrgenmode none on vA"
ip -n "$B" link set vB addrgenmode none || die "addrgenmode none on vB"
ia addr add 198.18.7.1/24 dev vA || die "address on vA"
ip -n "$B" addr add 198.18.7.2/24 dev vB || die "address on vB"
ia addr add 198.19.7.1/24 dev br0 || die "address on br0"
ia neigh add 198.18.7.2 lladdr "$(ip netns exec "$B" cat /sys/class/net/vB/address)" \
    dev vA nud permanent || die "static neighbour"
for dev in vA p0 p1 br0; do
    ia link set "$dev" up || die "cannot bring $dev up"
done
ip -n "$B" link set vB up || die "cannot bring vB up"
ALL="lo|vA|br0|p0|p1|$H1|h1peer|$H2_LABEL|h2peer"

# ----------------------------------------------------------- (a) (b) (c) (d) --
# every collector by default, and connections (opt-in)
nm_start_exporter "$A" all --collector.connections
scrape_both all "$ALL" present=netmetrics_interface_address_info,netmetrics_connections \
    part_ok=links,addresses,wireless
stop_exporter

nm_start_exporter "$A" include '--collector.device-include=A$|r0'
scrape_both include "vA|br0"
stop_exporter

nm_start_exporter "$A" exclude "--collector.device-exclude=^p|\"|$(printf '\377')"
scrape_both exclude "lo|vA|br0|h1peer|h2peer"
stop_exporter

nm_start_exporter "$A" novirtual --collector.type-exclude=virtual
scrape_both novirtual "lo"
stop_exporter

nm_start_exporter "$A" none --collector.type-exclude=Virtual,loopback \
    --collector.speed.min-interval=0
nm_scrape_to "$A" "$NM_EXPORTER_PORT" /dev/null # a baseline, so the totals exist
scrape_both none "-" present=netmetrics_build_info,netmetrics_total_receive_bytes_per_second \
    part_ok=links
stop_exporter

# ------------------------------------------------------------------------ (e) --
# A sink in B, a sender in A: ~200 kB over vA between two scrapes.
ip netns exec "$B" python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("198.18.7.2", 9000))
while True:
    s.recv(65536)
' </dev/null >/dev/null 2>&1 &
nm_track_pid $!
nm_start_exporter "$A" speeds '--collector.device-exclude=^(p|h)' \
    --collector.speed.min-interval=0
nm_scrape_to "$A" "$NM_EXPORTER_PORT" "$NM_TMP/speeds1.prom"
ip netns exec "$A" python3 -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for _ in range(200):
    s.sendto(b"x" * 1000, ("198.18.7.2", 9000))
    time.sleep(0.002)
' || fail "sender failed"
sleep 0.2
nm_scrape_to "$A" "$NM_EXPORTER_PORT" "$NM_TMP/speeds2.prom"
stop_exporter
run_check speeds python3 -c '
import os, sys
sys.path.insert(0, os.environ["NM_INTEGRATION_DIR"])
import promparse
m = promparse.parse(open(sys.argv[1], "rb").read())
up = {s.labels["device"]: s.value for s in m.samples
      if s.name == "netmetrics_transmit_bytes_per_second"}
want = set(sys.argv[2].split("|"))
if set(up) == want:
    print("ok: speed series for exactly %s" % sorted(want))
else:
    print("FAIL: speed series for %r, want %r" % (sorted(up), sorted(want)))
# 200 datagrams of 1042-byte frames over about half a second or more
if up.get("vA", 0) > 50000:
    print("ok: vA transmit speed %.0f B/s follows the traffic" % up["vA"])
else:
    print("FAIL: vA transmit speed %r" % up.get("vA"))
total = m.value("netmetrics_total_transmit_bytes_per_second")
counted = sum(v for d, v in up.items() if d != "lo")
if total is not None and abs(total - counted) <= 1e-6 * max(1.0, counted):
    print("ok: total transmit speed %.0f is the sum over the interfaces left" % total)
else:
    print("FAIL: total %r, sum over the interfaces left %r" % (total, counted))
' "$NM_TMP/speeds2.prom" "lo|vA|br0|$H1|$H2_LABEL"

# ------------------------------------------------------------------------ (f) --
# syscalls of one scrape: netlink requests and files opened
trace_scrape() {
    local tag=$1 st
    if ! command -v strace >/dev/null 2>&1; then
        echo "note: strace not installed; '$tag' not traced"
        return 1
    fi
    strace -f -qq -e trace=sendto,sendmsg,openat -o "$NM_TMP/$tag.strace" \
        -p "$NM_EXPORTER_PID" 2>/dev/null &
    st=$!
    sleep 1 # attach
    nm_scrape_to "$A" "$NM_EXPORTER_PORT" /dev/null
    kill -INT "$st" 2>/dev/null
    wait "$st" 2>/dev/null
    grep -q 'sendto\|sendmsg' "$NM_TMP/$tag.strace" || {
        fail "$tag: strace saw no netlink request"
        return 1
    }
    return 0
}
# RTM_GETADDR is 22; strace names it only where it knows the socket's protocol
getaddr() { grep -Eq 'RTM_GETADDR|nlmsg_type=0x16[^0-9a-fA-F]' "$NM_TMP/$1.strace"; }
wireless() { grep -q '"/proc/net/wireless"' "$NM_TMP/$1.strace"; }

nm_start_exporter "$A" traced
if trace_scrape traced; then
    getaddr traced && pass "default: an RTM_GETADDR dump per scrape" ||
        fail "default exporter sent no RTM_GETADDR (the control of (f))"
    wireless traced && pass "default: /proc/net/wireless read" ||
        fail "default exporter did not open /proc/net/wireless (the control of (f))"
fi
stop_exporter

nm_start_exporter "$A" noparts --no-collector.addresses --no-collector.wireless
scrape_both noparts "$ALL" absent=netmetrics_interface_address_info,netmetrics_wireless_ \
    absent_part=addresses,wireless part_ok=links
if trace_scrape noparts; then
    getaddr noparts && fail "--no-collector.addresses still dumps the addresses" ||
        pass "--no-collector.addresses: no RTM_GETADDR"
    wireless noparts && fail "--no-collector.wireless still opens /proc/net/wireless" ||
        pass "--no-collector.wireless: /proc/net/wireless not read"
fi
stop_exporter

# ------------------------------------------------------------------------ (g) --
nm_start_exporter "$A" netdev --collector.disable-defaults --collector.netdev \
    --collector.speed.min-interval=0
nm_scrape_to "$A" "$NM_EXPORTER_PORT" /dev/null
scrape_both netdev "$ALL" present=netmetrics_receive_bytes_total,netmetrics_build_info \
    absent=netmetrics_interface_,netmetrics_connections,netmetrics_wireless_,netmetrics_total_ \
    absent_part=addresses,wireless,connections part_ok=links
if grep -q '_per_second' "$NM_TMP/netdev.prom"; then
    fail "netdev only: speed series present"
else
    pass "netdev only: no speed series after two scrapes"
fi
stop_exporter

nm_start_exporter "$A" conns --collector.connections --collector.disable-defaults
scrape_both conns "-" present=netmetrics_connections,netmetrics_build_info \
    absent=netmetrics_interface_,netmetrics_receive_,netmetrics_total_ \
    absent_part=links,addresses,wireless
stop_exporter

# ------------------------------------------------------------------------ (h) --
bad_flags() { # expected message fragment, flags...
    local want=$1 out rc
    shift
    out=$("$NM_EXPORTER" "$@" 2>&1)
    rc=$?
    if [ "$rc" = 2 ] && [ "$(printf '%s\n' "$out" | wc -l)" = 1 ] &&
        printf '%s' "$out" | grep -qF -- "$want"; then
        pass "$* -> exit 2: $out"
    else
        fail "$*: exit $rc, output '$out' (want exit 2, one line with '$want')"
    fi
}
bad_flags "mutually exclusive" --collector.device-include=a --collector.device-exclude=b
bad_flags "for --collector.device-exclude: not a valid regular expression" \
    '--collector.device-exclude=(veth'
bad_flags "for --collector.device-include: \\d is not POSIX" '--collector.device-include=^veth\d+'
bad_flags 'for --collector.type-exclude: unknown interface type "wired"' \
    --collector.type-exclude=virtual,wired

nm_finish
