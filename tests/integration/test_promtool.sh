#!/bin/sh
# SPDX-License-Identifier: MIT
# Live exporter output through `promtool check metrics` (Prometheus' own
# linter for the text format): it must print nothing and exit 0, for both
# backends, in the current namespace and, as root, in a namespace holding
# interfaces with hostile names (quote, backslash, braces, a non-UTF-8 byte).
# The output also goes through promparse.py. A missing promtool is a failure,
# not a skip: CI installs it (Debian package prometheus).
. "$(dirname "$0")/lib.sh"

require_cmd curl python3
nm_require_exporter
nm_require_promparse
PROMTOOL=${PROMTOOL:-$(command -v promtool || true)}
[ -n "$PROMTOOL" ] && [ -x "$PROMTOOL" ] ||
    die "promtool not found (install the Debian package 'prometheus', or set PROMTOOL)"

# lint NS TAG BACKEND: start an exporter, scrape it, lint the text.
lint() {
    local ns=$1 tag=$2 backend=$3 out rc
    nm_start_exporter "$ns" "$tag" --collector.backend="$backend" --collector.connections
    nm_scrape_to "$ns" "$NM_EXPORTER_PORT" "$NM_TMP/$tag.prom"
    kill -TERM "$NM_EXPORTER_PID" 2>/dev/null
    [ -s "$NM_TMP/$tag.prom" ] || { fail "$tag: empty scrape"; return; }
    out=$("$PROMTOOL" check metrics <"$NM_TMP/$tag.prom" 2>&1)
    rc=$?
    if [ "$rc" -eq 0 ] && [ -z "$out" ]; then
        pass "$tag: promtool check metrics is silent ($(grep -vc '^#' "$NM_TMP/$tag.prom") samples)"
    else
        fail "$tag: promtool check metrics exited $rc and said:"
        printf '%s\n' "$out" | head -n 40 >&2
    fi
    if out=$(nm_promparse "$NM_TMP/$tag.prom" 2>&1); then
        pass "$tag: promparse.py accepts it"
    else
        fail "$tag: $out"
    fi
}

lint "" root-netlink netlink
lint "" root-procfs procfs

if [ "$(id -u)" -ne 0 ]; then
    echo "note: not root: the hostile-name namespace run is skipped"
    nm_finish
fi

NS=$(nm_ns P)
nm_netns_add "$NS"
ip -n "$NS" link add 'we"ir\d' type veth peer name 'nm{a=b,c}#' || die "ip link add (hostile names)"
if ! ip -n "$NS" link add "$(printf 'nm\377x')" type veth peer name 'x#,=' 2>/dev/null; then
    echo "note: ip refuses a name with a non-UTF-8 byte; testing without it"
fi
# Addresses give the address family and scope labels something to say; the
# links stay down, so nothing is sent.
ip -n "$NS" addr add 198.18.7.1/24 dev 'we"ir\d'
ip -n "$NS" addr add fd00::7/64 dev 'we"ir\d' nodad
lint "$NS" hostile-netlink netlink
lint "$NS" hostile-procfs procfs
grep -q 'device="we\\"ir\\\\d"' "$NM_TMP/hostile-netlink.prom" ||
    fail "hostile-netlink: no device=\"we\\\"ir\\\\d\" label in the output"

nm_finish
