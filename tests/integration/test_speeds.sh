#!/bin/sh
# SPDX-License-Identifier: MIT
# Live speeds against the kernel's own counters, in namespaces of our own.
#
# Namespaces A and B joined by a quiet veth pair (vA in A, vB in B; static
# neighbours, no link-local addresses), addresses from 198.18.0.0/15. A
# paced sender in A pushes about 2 MB/s of UDP to a sink in B. Asserted:
#  (a) before two snapshots exist the exporter has no speed series;
#  (b) the exporter's netmetrics_transmit_bytes_per_second{device="vA"}
#      (and the packet rate) is within 10% of the rate computed from
#      /sys/class/net/vA/statistics over the window of the two scrapes;
#  (c) its totals equal the sum of the per-interface speeds of the
#      interfaces that count under the totals rule (here, with no physical
#      interface: every one but lo);
#  (d) within --collector.speed.min-interval a scrape shows fresh counters
#      (they move while traffic flows) and the last computed speeds;
#  (e) `netmetrics --json -i vA` parses as one JSON document and its
#      upload_speed is within 10% of the kernel's rate over its run;
#  (f) `netmetrics --watch --json -n 2` prints two JSON objects, one a line;
#  (g) the text report matches tests/fixtures/cli/report.txt with numbers,
#      units and the MAC masked;
#  (h) bad usage exits 2 with one line; an unknown -i exits 1.
# Needs root; skips (77) otherwise.
. "$(dirname "$0")/lib.sh"

require_root
require_cmd ip curl python3
nm_require_exporter
: "${NM_CLI:=$top_builddir/src/netmetrics}"
[ -x "$NM_CLI" ] || die "netmetrics not built: $NM_CLI"
FIXTURE="${NM_FIXTURES:-$top_srcdir/tests/fixtures}/cli/report.txt"
[ -r "$FIXTURE" ] || die "missing $FIXTURE"

A=$(nm_ns A)
B=$(nm_ns B)
nm_netns_add "$A"
nm_netns_add "$B"
ip -n "$A" link add vA type veth peer name vB netns "$B" || die "cannot create veth vA/vB"
for end in "$A vA 198.18.0.1" "$B vB 198.18.0.2"; do
    set -- $end
    ip -n "$1" link set "$2" addrgenmode none || die "addrgenmode none on $2"
    ip -n "$1" addr add "$3/24" dev "$2" || die "address on $2"
done
MAC_A=$(ip netns exec "$A" cat /sys/class/net/vA/address)
MAC_B=$(ip netns exec "$B" cat /sys/class/net/vB/address)
ip -n "$A" neigh add 198.18.0.2 lladdr "$MAC_B" dev vA nud permanent || die "static neighbour"
ip -n "$B" neigh add 198.18.0.1 lladdr "$MAC_A" dev vB nud permanent || die "static neighbour"
ip -n "$A" link set vA up || die "vA up"
ip -n "$B" link set vB up || die "vB up"

# The sink: reads and discards, so no ICMP comes back.
ip netns exec "$B" python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("198.18.0.2", 9000))
while True:
    s.recv(65536)
' </dev/null >/dev/null 2>&1 &
nm_track_pid $!

nm_start_exporter "$A" speeds --collector.speed.min-interval=0
PORT=$NM_EXPORTER_PORT
nm_start_exporter "$A" reuse --collector.speed.min-interval=1500ms
PORT_REUSE=$NM_EXPORTER_PORT

CHECK="$NM_TMP/speeds.py"
cat >"$CHECK" <<'PY'
import json, os, re, socket, subprocess, sys, threading, time, urllib.request
sys.path.insert(0, os.environ["NM_INTEGRATION_DIR"])
import promparse

CLI, PORT, PORT_REUSE = os.environ["NM_CLI"], os.environ["PORT"], os.environ["PORT_REUSE"]
FAILS = 0
def ok(msg): print("ok: " + msg)
def bad(msg):
    global FAILS
    FAILS += 1
    print("FAIL: " + msg)

def sysfs(name):
    with open("/sys/class/net/vA/statistics/" + name) as f:
        return int(f.read())

def scrape(port):
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open("http://127.0.0.1:%s/metrics" % port, timeout=10) as r:
        return promparse.parse(r.read())

def samples(m, name):
    return {tuple(sorted(s.labels.items())): s.value for s in m.series(name)}

def by_device(fams, name):
    return {dict(k).get("device"): v for k, v in samples(fams, name).items()}

def within(measured, reference, what, unit="B/s"):
    if reference <= 0:
        bad("%s: kernel rate is %r; the sender did not run" % (what, reference))
    elif abs(measured - reference) <= 0.10 * reference:
        ok("%s: %.0f vs kernel %.0f %s (%+.1f%%)" % (what, measured, reference, unit,
           100.0 * (measured - reference) / reference))
    else:
        bad("%s: %.0f vs kernel %.0f %s: off by more than 10%%" % (what, measured, reference, unit))

# (a) a fresh exporter: one snapshot, no speed family
fams = scrape(PORT)
rate_fams = [n for n in fams.names() if n.endswith("_per_second")]
if rate_fams:
    bad("speed families before two snapshots: %s" % rate_fams)
else:
    ok("no speed series before two snapshots")

# the paced sender: 1400-byte datagrams, bursts every 10 ms, ~2 MB/s
stop = threading.Event()
def sender():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    payload = b"x" * 1400
    per_tick = 15  # 15 * 1400 * 100 = 2.1 MB/s of payload
    t = time.monotonic()
    while not stop.is_set():
        for _ in range(per_tick):
            s.sendto(payload, ("198.18.0.2", 9000))
        t += 0.01
        d = t - time.monotonic()
        if d > 0:
            time.sleep(d)
        else:
            t = time.monotonic()  # behind: do not burst to catch up
th = threading.Thread(target=sender, daemon=True)
th.start()
time.sleep(0.5)

# (b) the exporter over a 2 s window, bracketed by the kernel's counters
b0, p0, t0 = sysfs("tx_bytes"), sysfs("tx_packets"), time.monotonic()
scrape(PORT)
time.sleep(2.0)
fams = scrape(PORT)
b1, p1, t1 = sysfs("tx_bytes"), sysfs("tx_packets"), time.monotonic()
kernel_bps, kernel_pps = (b1 - b0) / (t1 - t0), (p1 - p0) / (t1 - t0)
tx = by_device(fams, "netmetrics_transmit_bytes_per_second")
txp = by_device(fams, "netmetrics_transmit_packets_per_second")
if "vA" not in tx or "vA" not in txp:
    bad("no speed series for vA: %s" % sorted(tx))
else:
    within(tx["vA"], kernel_bps, "exporter transmit_bytes_per_second{vA}")
    within(txp["vA"], kernel_pps, "exporter transmit_packets_per_second{vA}", "packets/s")
    if kernel_bps < 1.5e6:
        bad("kernel rate %.0f B/s: the sender fell far short of 2 MB/s" % kernel_bps)

# (c) totals = sum over the interfaces that count (no physical interface
# here: everything but loopback; physical = no link kind, not loopback)
info = samples(fams, "netmetrics_interface_info")
kinds = {dict(k)["device"]: dict(k).get("kind", "") for k in info}
flags = samples(fams, "netmetrics_interface_flag")
loop = {dict(k)["device"] for k, v in flags.items() if dict(k)["flag"] == "loopback" and v == 1}
physical = any(kinds[d] == "" and d not in loop for d in kinds)
def counts(d):
    return d not in loop and (kinds.get(d, "") == "" or not physical)
for fam, total in (("netmetrics_receive_bytes_per_second", "netmetrics_total_receive_bytes_per_second"),
                   ("netmetrics_transmit_bytes_per_second", "netmetrics_total_transmit_bytes_per_second")):
    want = sum(v for d, v in by_device(fams, fam).items() if counts(d))
    got = list(samples(fams, total).values())
    if len(got) != 1:
        bad("%s: %d samples" % (total, len(got)))
    elif abs(got[0] - want) > 1e-6 * max(1.0, want):
        bad("%s = %r, sum of counted interfaces = %r" % (total, got[0], want))
    else:
        ok("%s = %.1f = sum over %s" % (total, got[0], sorted(d for d in kinds if counts(d))))

# (d) min-interval 1.5 s: a baseline, speeds 1.7 s later, then a scrape
# 0.3 s after that: fresh counters, the same speeds
scrape(PORT_REUSE)
time.sleep(1.7)
r1 = scrape(PORT_REUSE)
time.sleep(0.3)
r2 = scrape(PORT_REUSE)
c1 = by_device(r1, "netmetrics_transmit_bytes_total").get("vA")
c2 = by_device(r2, "netmetrics_transmit_bytes_total").get("vA")
s1 = by_device(r1, "netmetrics_transmit_bytes_per_second").get("vA")
s2 = by_device(r2, "netmetrics_transmit_bytes_per_second").get("vA")
if c1 is None or c2 is None or c2 <= c1:
    bad("min-interval: counters did not move between scrapes 0.3 s apart: %r -> %r" % (c1, c2))
elif s1 is None or s1 <= 0 or s1 != s2:
    bad("min-interval: speeds %r then %r; want the same, measured, speed" % (s1, s2))
else:
    ok("min-interval: fresh counters (%d -> %d), the last speed (%.0f B/s) both times"
       % (c1, c2, s1))

# (e) the CLI's --json speed, bracketed by the kernel's counters
b0, t0 = sysfs("tx_bytes"), time.monotonic()
out = subprocess.run([CLI, "--json", "--interval=2s", "-i", "vA"], capture_output=True,
                     timeout=30)
b1, t1 = sysfs("tx_bytes"), time.monotonic()
if out.returncode != 0:
    bad("netmetrics --json: status %d: %r" % (out.returncode, out.stderr))
else:
    try:
        doc = json.loads(out.stdout.decode("utf-8"))
    except ValueError as e:
        doc = None
        bad("netmetrics --json is not JSON: %s: %r" % (e, out.stdout[:200]))
    if doc is not None:
        ifs = doc.get("interfaces", [])
        if [i.get("name") for i in ifs] != ["vA"]:
            bad("-i vA listed %r" % [i.get("name") for i in ifs])
        else:
            ok("netmetrics --json is one JSON document listing vA only")
            within(ifs[0]["upload_speed"], (b1 - b0) / (t1 - t0), "netmetrics --json upload_speed{vA}")
        if not isinstance(doc.get("total_upload_speed"), (int, float)):
            bad("total_upload_speed is %r" % doc.get("total_upload_speed"))
stop.set()
th.join()

# (f) --watch --json: JSON Lines
out = subprocess.run([CLI, "--watch", "--json", "-n", "2", "-t", "200ms"], capture_output=True,
                     timeout=30)
lines = out.stdout.decode("utf-8").splitlines()
try:
    objs = [json.loads(l) for l in lines]
    if out.returncode == 0 and len(objs) == 2 and all("interfaces" in o for o in objs):
        ok("--watch --json -n 2: two JSON objects, one per line")
    else:
        bad("--watch --json -n 2: status %d, %d lines" % (out.returncode, len(lines)))
except ValueError as e:
    bad("--watch --json line is not JSON: %s" % e)

# (g) the text report's layout, numbers masked
out = subprocess.run([CLI, "-t", "200ms"], capture_output=True, timeout=30)
text = out.stdout.decode("utf-8")
def mask(s):
    s = re.sub(r"\b[0-9a-f]{2}(:[0-9a-f]{2}){5}\b", "MAC", s)
    s = re.sub(r"\d+(\.\d+)? (B|KB|MB|GB|TB)(/s)?", lambda m: "N U" + (m.group(3) or ""), s)
    return re.sub(r"\d+", "N", s)
with open(os.environ["FIXTURE"]) as f:
    golden = f.read()
if out.returncode == 0 and mask(text) == golden:
    ok("text report matches the golden layout")
else:
    bad("text report differs from %s (status %d):\n%s" % (os.environ["FIXTURE"], out.returncode, mask(text)))

sys.exit(1 if FAILS else 0)
PY

out=$(ip netns exec "$A" env NM_CLI="$NM_CLI" PORT="$PORT" PORT_REUSE="$PORT_REUSE" \
    FIXTURE="$FIXTURE" NM_INTEGRATION_DIR="$NM_INTEGRATION_DIR" python3 "$CHECK" 2>&1)
status=$?
while IFS= read -r line; do
    case $line in
    ok:*) pass "${line#ok: }" ;;
    FAIL:*) fail "${line#FAIL: }" ;;
    *) echo "$line" ;;
    esac
done <<<"$out"
[ "$status" -eq 0 ] || [ "$NM_FAILED" -gt 0 ] || fail "checker exited with status $status"

# (h) usage errors
err=$("$NM_CLI" --interval=abc 2>&1 >/dev/null)
st=$?
if [ "$st" -eq 2 ] && [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ]; then
    pass "bad --interval: status 2, one line ($err)"
else
    fail "bad --interval: status $st, output: $err"
fi
ip netns exec "$A" "$NM_CLI" -t 100ms -i nmt-nosuch >/dev/null 2>&1
st=$?
[ "$st" -eq 1 ] && pass "unknown -i: status 1" || fail "unknown -i: status $st, want 1"

nm_finish
