#!/bin/sh
# SPDX-License-Identifier: MIT
# Interface classification, link details and wireless statistics against
# the kernel and against the sysfs/proc fixture tree.
#
# In a namespace this test makes: a veth pair (both ends here), a bridge
# with one veth end as a port, a macvlan, a vxlan, a tun, a tap, an ifb and
# a second veth pair left down. Asserted, on the netlink backend:
#  (a) each is type="virtual" with its kind (tun and tap both "tun"), lo is
#      type="loopback";
#  (b) an up veth's speed is 1250000000 bytes/s (10000 Mb/s) with duplex
#      full; the down veth has no speed series;
#  (c) the bridge port's master label is the bridge; carrier changes and
#      the transmit queue length are exported; an alias gets its info series;
#  (d) wireless: no nl80211 here, so no wireless series, the wireless
#      collector still succeeds and the exporter says so once in its log.
# In the root namespace (read only): eth0, virtio with a device, is
# type="ethernet" with its driver. On the fixture tree
# tests/fixtures/linkinfo (procfs backend, --path.procfs/--path.sysfs):
# wlan0 is wifi with signal -56 dBm and quality 54/70, wwan0 is cellular,
# eth1 (down) has no speed, and SSIDs appear only with the opt-in flag.
# Needs root; skips (77) otherwise.
. "$(dirname "$0")/lib.sh"

require_root
require_cmd ip curl grep
nm_require_exporter
nm_require_promparse

A=$(nm_ns A)
nm_netns_add "$A"
OUT="$NM_TMP/a.prom"

ipa() { ip -n "$A" "$@"; }

ipa link add vA type veth peer name vB || die "cannot create veth"
ipa link add vC type veth peer name vD || die "cannot create veth"
ipa link add br0 type bridge || die "cannot create bridge"
ipa link set vB master br0 || die "cannot enslave vB"
ipa link add mv0 link vA type macvlan mode bridge || die "cannot create macvlan"
ipa link add vx0 type vxlan id 42 dstport 4789 local 198.18.0.1 || die "cannot create vxlan"
ip netns exec "$A" ip tuntap add dev tun0 mode tun || die "cannot create tun"
ip netns exec "$A" ip tuntap add dev tap0 mode tap || die "cannot create tap"
ipa link add ifb9 type ifb || die "cannot create ifb"
ipa link set vA alias "uplink to rack 4" || die "cannot set alias"
for i in vA vB br0 mv0 vx0 ifb9; do
    ipa link set "$i" up || die "cannot bring $i up"
done
# vC and vD stay down: no speed.

# The speed needs carrier; veth gets it at once, but allow a moment.
for _ in 1 2 3 4 5 6 7 8 9 10; do
    [ "$(ip netns exec "$A" cat /sys/class/net/vA/carrier 2>/dev/null)" = 1 ] && break
    sleep 0.2
done

nm_start_exporter "$A" netlink --collector.backend=netlink --log.level=info
nm_scrape_to "$A" "$NM_EXPORTER_PORT" "$OUT"
nm_promparse "$OUT" >/dev/null || fail "promparse rejects the netns scrape"
LOG_A="$NM_TMP/exporter-netlink.log"

info_has() { # device, label="value" pattern
    grep -E "^netmetrics_interface_info\{device=\"$1\",.*$2" "$OUT" >/dev/null
}

# (a)
for pair in vA:veth vB:veth br0:bridge mv0:macvlan vx0:vxlan tun0:tun tap0:tun ifb9:ifb vC:veth; do
    dev=${pair%%:*}
    kind=${pair#*:}
    if info_has "$dev" "kind=\"$kind\",type=\"virtual\""; then
        pass "$dev is virtual with kind $kind"
    else
        fail "$dev: want kind=\"$kind\",type=\"virtual\": $(grep "info{device=\"$dev\"" "$OUT")"
    fi
done
if info_has lo 'type="loopback"'; then pass "lo is loopback"; else fail "lo is not loopback"; fi

# (b)
if grep -qx 'netmetrics_interface_speed_bytes{device="vA"} 1250000000' "$OUT"; then
    pass "veth speed is 1250000000 bytes/s"
else
    fail "veth speed: $(grep 'speed_bytes{device="vA"}' "$OUT")"
fi
if info_has vA 'duplex="full"'; then pass "veth duplex full"; else fail "veth duplex not full"; fi
if grep -q 'netmetrics_interface_speed_bytes{device="vC"}' "$OUT"; then
    fail "the down veth vC has a speed series"
else
    pass "down link has no speed series"
fi

# (c)
if info_has vB 'master="br0"'; then pass "bridge port shows its master"; else
    fail "vB: master not br0: $(grep 'info{device="vB"' "$OUT")"
fi
if info_has vA 'master=""'; then pass "no master where there is none"; else fail "vA has a master"; fi
grep -Eq '^netmetrics_interface_carrier_changes_total\{device="vA"\} [0-9]+$' "$OUT" &&
    pass "carrier changes exported" || fail "no carrier changes for vA"
grep -qx 'netmetrics_interface_transmit_queue_length{device="vA"} 1000' "$OUT" &&
    pass "transmit queue length 1000" || fail "txqlen of vA: $(grep 'queue_length{device="vA"}' "$OUT")"
grep -qx 'netmetrics_interface_alias_info{device="vA",alias="uplink to rack 4"} 1' "$OUT" &&
    pass "alias info series" || fail "no alias series for vA"

# (d)
if grep -q '^netmetrics_wireless_' "$OUT"; then
    fail "wireless series without any wireless interface"
else
    pass "no wireless series"
fi
grep -qx 'netmetrics_scrape_collector_success{collector="wireless"} 1' "$OUT" &&
    pass "wireless collector succeeds without nl80211" || fail "wireless collector not successful"
nm_scrape_to "$A" "$NM_EXPORTER_PORT" "$OUT"
n=$(grep -c 'msg="wireless statistics"' "$LOG_A")
[ "$n" = 1 ] && pass "wireless source logged once" || fail "wireless source logged $n times"
if grep -q 'level=error\|level=warn' "$LOG_A"; then
    fail "warnings or errors in the log: $(grep 'level=error\|level=warn' "$LOG_A" | head -3)"
else
    pass "no warnings or errors logged"
fi

# ------------------------------------------------------ root namespace eth0 --
ROOT="$NM_TMP/root.prom"
if [ -e /sys/class/net/eth0/device ]; then
    drv=$(sed -n 's/^DRIVER=//p' /sys/class/net/eth0/device/uevent)
    nm_start_exporter "" root --collector.backend=netlink
    nm_scrape_to "" "$NM_EXPORTER_PORT" "$ROOT"
    if grep -Eq "^netmetrics_interface_info\{device=\"eth0\",.*type=\"ethernet\",.*driver=\"$drv\"" "$ROOT"; then
        pass "eth0 is ethernet with driver $drv"
    else
        fail "eth0: $(grep 'info{device="eth0"' "$ROOT")"
    fi
else
    echo "note: no eth0 with a device here; root-namespace check not run" >&2
fi

# -------------------------------------------------------------- fixture tree --
FX="$NM_FIXTURES/linkinfo"
FOUT="$NM_TMP/fixture.prom"
nm_start_exporter "" fixture --collector.backend=procfs --path.procfs="$FX/proc" \
    --path.sysfs="$FX/sys"
nm_scrape_to "" "$NM_EXPORTER_PORT" "$FOUT"
nm_promparse "$FOUT" >/dev/null || fail "promparse rejects the fixture scrape"
fx_type() {
    grep -Eq "^netmetrics_interface_info\{device=\"$1\",.*type=\"$2\"" "$FOUT" &&
        pass "fixture $1 is $2" || fail "fixture $1: $(grep "info{device=\"$1\"" "$FOUT")"
}
fx_type wlan0 wifi
fx_type wwan0 cellular
fx_type eth0 ethernet
fx_type veth9 virtual
fx_type lo loopback
grep -qx 'netmetrics_wireless_signal_dbm{device="wlan0"} -56' "$FOUT" &&
    pass "wlan0 signal -56 dBm" || fail "wlan0 signal: $(grep signal_dbm "$FOUT")"
grep -Eq '^netmetrics_wireless_link_quality_ratio\{device="wlan0"\} 0\.771428571428571' "$FOUT" &&
    pass "wlan0 link quality 54/70" || fail "wlan0 quality: $(grep quality_ratio "$FOUT")"
grep -q 'netmetrics_wireless_noise_dbm' "$FOUT" &&
    fail "noise -256 (unknown) exported" || pass "unknown noise left out"
grep -qx 'netmetrics_interface_speed_bytes{device="eth0"} 1250000000' "$FOUT" &&
    pass "fixture eth0 speed" || fail "fixture eth0 speed missing"
grep -q 'speed_bytes{device="eth1"}' "$FOUT" && fail "down eth1 has a speed" ||
    pass "down eth1 has no speed"
grep -q 'netmetrics_wireless_network_info' "$FOUT" &&
    fail "SSID info without the opt-in flag" || pass "no SSID info by default"

# The CLI reads the same fixture through the library: types and the signal.
: "${NM_CLI:=$top_builddir/src/netmetrics}"
CLI_ARGS="--backend=procfs --path.procfs=$FX/proc --path.sysfs=$FX/sys --interval=50ms"
if "$NM_CLI" $CLI_ARGS --json >"$NM_TMP/cli.json" 2>"$NM_TMP/cli.err"; then
    if python3 - "$NM_TMP/cli.json" >"$NM_TMP/cli.check" 2>&1 <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
by = {i["name"]: i for i in doc["interfaces"]}
want = {"wlan0": ("WiFi", True, -56), "wwan0": ("Cellular", False, None),
        "eth0": ("Ethernet", False, None), "veth9": ("Virtual", False, None),
        "lo": ("Loopback", False, None)}
bad = []
for name, (typ, wireless, dbm) in want.items():
    i = by.get(name)
    if i is None:
        bad.append("%s missing" % name)
    elif (i["type"], i["wireless"], i["signal_dbm"]) != (typ, wireless, dbm):
        bad.append("%s: %r" % (name, (i["type"], i["wireless"], i["signal_dbm"])))
print("; ".join(bad) or "ok")
sys.exit(1 if bad else 0)
PY
    then
        pass "CLI --json: fixture types and wlan0 signal -56 dBm"
    else
        fail "CLI --json on the fixture: $(cat "$NM_TMP/cli.check")"
    fi
else
    fail "CLI on the fixture failed: $(cat "$NM_TMP/cli.err")"
fi
"$NM_CLI" $CLI_ARGS -i wlan0 >"$NM_TMP/cli.txt" 2>&1
grep -q '^Interface: wlan0 (WiFi)$' "$NM_TMP/cli.txt" && grep -q '^  Signal strength: -56 dBm$' "$NM_TMP/cli.txt" &&
    pass "CLI report: wlan0 (WiFi), signal -56 dBm" || fail "CLI report: $(cat "$NM_TMP/cli.txt")"

nm_finish
