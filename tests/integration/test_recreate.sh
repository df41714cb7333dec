#!/bin/sh
# SPDX-License-Identifier: MIT
# An interface deleted and created again under the same name (new ifindex,
# counters back at zero) must not produce a negative speed or a spike: the
# scrape after the re-creation has no speed for it (its baseline restarts),
# the next one measures from the new counters. Counters never go backwards
# within one ifindex, and totals stay non-negative.
# Needs root; skips (77) otherwise.
. "$(dirname "$0")/lib.sh"

require_root
require_cmd ip curl python3
nm_require_exporter
nm_require_promparse

A=$(nm_ns A)
B=$(nm_ns B)
nm_netns_add "$A"
nm_netns_add "$B"

make_pair() {
    ip -n "$A" link add vA type veth peer name vB netns "$B" || die "cannot create veth vA/vB"
    ip -n "$A" addr add 198.18.0.1/24 dev vA || die "address on vA"
    ip -n "$B" addr add 198.18.0.2/24 dev vB || die "address on vB"
    ip -n "$A" link set vA up || die "vA up"
    ip -n "$B" link set vB up || die "vB up"
}

# ~4 MB across the pair (the peer discards it: no listener, ICMP aside)
blast() {
    ip netns exec "$A" python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for _ in range(3000):
    s.sendto(b"x" * 1400, ("198.18.0.2", 9))
' || die "sender failed"
}

make_pair
nm_start_exporter "$A" recreate --collector.speed.min-interval=0
PORT=$NM_EXPORTER_PORT

nm_scrape_to "$A" "$PORT" "$NM_TMP/1.prom"          # baseline
blast
sleep 0.5
nm_scrape_to "$A" "$PORT" "$NM_TMP/2.prom"          # speeds over the blast
ip -n "$A" link del vA || die "ip link del vA"
make_pair                                           # same name, new ifindex
nm_scrape_to "$A" "$PORT" "$NM_TMP/3.prom"          # right after the re-creation
sleep 0.5
nm_scrape_to "$A" "$PORT" "$NM_TMP/4.prom"          # measured from the new counters

if python3 - "$NM_TMP" "$NM_PROMPARSE" >"$NM_TMP/report" 2>&1 <<'PY'
import os, sys
d = sys.argv[1]
sys.path.insert(0, os.path.dirname(sys.argv[2]))
import promparse

scr = [promparse.parse(open(os.path.join(d, "%d.prom" % i), "rb").read()) for i in (1, 2, 3, 4)]
bad = []
def dev(m, name, device):
    v = [s.value for s in m.series(name) if s.labels.get("device") == device]
    return v[0] if v else None
def ifindex(m):
    return [s.labels["ifindex"] for s in m.series("netmetrics_interface_info")
            if s.labels.get("device") == "vA"][0]

tx2 = dev(scr[1], "netmetrics_transmit_bytes_per_second", "vA")
if tx2 is None or tx2 < 1e6:
    bad.append("scrape 2: vA speed %r, want > 1 MB/s over the blast" % tx2)
if ifindex(scr[2]) == ifindex(scr[1]):
    bad.append("vA kept its ifindex %s: not re-created" % ifindex(scr[1]))
if dev(scr[2], "netmetrics_transmit_bytes_total", "vA") >= dev(scr[1], "netmetrics_transmit_bytes_total", "vA"):
    bad.append("the new vA's counters did not restart")
s3 = dev(scr[2], "netmetrics_transmit_bytes_per_second", "vA")
if s3 is not None:
    bad.append("scrape 3 (just re-created): vA has a speed %r; its baseline must restart" % s3)
s4 = dev(scr[3], "netmetrics_transmit_bytes_per_second", "vA")
if s4 is None or s4 < 0 or s4 > 1e5:
    bad.append("scrape 4: vA speed %r, want a small non-negative rate" % s4)
for i, m in enumerate(scr, 1):
    for name in m.names():
        if name.endswith("_per_second"):
            for s in m.series(name):
                if s.value < 0:
                    bad.append("scrape %d: %s%r = %r" % (i, name, s.labels, s.value))
print("; ".join(bad) if bad else
      "speed %.0f B/s before; none right after the re-creation; %.0f B/s after" % (tx2, s4))
sys.exit(1 if bad else 0)
PY
then
    pass "re-created interface: $(cat "$NM_TMP/report")"
else
    fail "re-created interface: $(cat "$NM_TMP/report")"
fi
nm_finish
