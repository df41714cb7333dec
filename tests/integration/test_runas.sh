#!/bin/sh
# SPDX-License-Identifier: MIT
# --runas USER: started as root, the exporter binds, then becomes USER
# (nobody here) for good: /proc/PID/status shows USER's uid and gid in all
# four slots, USER's group as the only supplementary group, in every thread;
# scrapes still work (netlink, /proc, /sys and sock_diag need no
# privilege). An unknown user, or a uid 0 one, makes it exit 1 before it
# serves; a malformed name is a flag error (exit 2). Needs root.
. "$(dirname "$0")/lib.sh"

require_root
require_cmd curl id
nm_require_exporter
nm_require_promparse

USER_NAME=nobody
uid=$(id -u "$USER_NAME" 2>/dev/null) || skip "no user $USER_NAME on this machine"
gid=$(id -g "$USER_NAME")

nm_start_exporter "" runas --runas="$USER_NAME" --collector.connections
grep -q "msg=\"dropped privileges\" user=$USER_NAME" "$NM_TMP/exporter-runas.log" &&
    pass "the log says it dropped privileges to $USER_NAME" ||
    fail "no 'dropped privileges' line in the log"

bad=0
for t in /proc/"$NM_EXPORTER_PID"/task/*; do
    u=$(awk '/^Uid:/ {print $2, $3, $4, $5}' "$t/status")
    g=$(awk '/^Gid:/ {print $2, $3, $4, $5}' "$t/status")
    gr=$(awk '/^Groups:/ {$1 = ""; sub(/^ /, ""); print}' "$t/status")
    if [ "$u" != "$uid $uid $uid $uid" ] || [ "$g" != "$gid $gid $gid $gid" ] || [ "$gr" != "$gid" ]; then
        fail "thread $(basename "$t"): Uid $u, Gid $g, Groups '$gr'"
        bad=1
    fi
done
[ "$bad" -eq 0 ] && pass "every thread runs as uid $uid, gid $gid, groups $gid"

nm_scrape_to "" "$NM_EXPORTER_PORT" "$NM_TMP/runas.prom"
if nm_promparse "$NM_TMP/runas.prom" >/dev/null 2>&1; then
    pass "a scrape after the drop parses"
else
    fail "a scrape after the drop does not parse"
fi
v=$(nm_promparse "$NM_TMP/runas.prom" --value netmetrics_scrape_collector_success collector=links 2>/dev/null)
[ "$v" = 1 ] && pass "links collected after the drop" || fail "links success '$v' after the drop"
v=$(nm_promparse "$NM_TMP/runas.prom" --value netmetrics_interface_info device=lo 2>/dev/null)
[ "$v" = 1 ] && pass "lo is reported after the drop" || fail "lo missing after the drop"

# Refusals.
rc=0
"$NM_EXPORTER" --web.listen-address=127.0.0.1:0 --runas=nm-no-such-user-xyz \
    >"$NM_TMP/nouser.log" 2>&1 </dev/null || rc=$?
if [ "$rc" -eq 1 ] && grep -q 'msg="cannot drop privileges"' "$NM_TMP/nouser.log" &&
    ! grep -q 'msg="listening"' "$NM_TMP/nouser.log"; then
    pass "an unknown user: exit 1 before listening"
else
    fail "an unknown user: exit $rc: $(tail -n 1 "$NM_TMP/nouser.log")"
fi
rc=0
"$NM_EXPORTER" --web.listen-address=127.0.0.1:0 --runas=root >"$NM_TMP/root.log" 2>&1 </dev/null || rc=$?
[ "$rc" -eq 1 ] && pass "--runas=root (uid 0): exit 1" || fail "--runas=root: exit $rc"
rc=0
"$NM_EXPORTER" --runas='a b' >"$NM_TMP/badname.log" 2>&1 </dev/null || rc=$?
[ "$rc" -eq 2 ] && pass "a malformed user name: exit 2 ($(head -n 1 "$NM_TMP/badname.log"))" ||
    fail "a malformed user name: exit $rc"
nm_finish
