# SPDX-License-Identifier: MIT
# Shared helpers for the integration tests (sourced, bash).
#
# A test sources this file first thing:
#     . "$(dirname "$0")/lib.sh"
# Automake runs tests with $(SHELL), which may be dash: this file re-executes
# the test under bash (the test's lines before the `.` run twice, so keep
# them to the `.` itself).
#
# What it gives a test:
#   - require_root / require_cmd        skip (exit 77) with a message
#   - nm_ns NAME                        a namespace name unique to this run
#   - nm_netns_add NAME                 create it (lo up), delete it at exit
#   - nm_on_exit 'COMMAND'              run COMMAND at exit (last in, first out)
#   - nm_track_pid PID                  kill PID at exit
#   - nm_start_exporter NS TAG ARGS...  exporter on 127.0.0.1:0 in NS ("" for
#                                       the current namespace); sets
#                                       NM_EXPORTER_PID and NM_EXPORTER_PORT
#   - nm_scrape NS PORT [PATH]          the exposition text, on stdout
#   - nm_promparse FILE [ARGS...]       promparse.py (strict parser) on FILE
#   - pass / fail / die / skip / nm_finish
# Cleanup (processes first, then namespaces, then the scratch directory) runs
# on EXIT, INT and TERM, whether the test passed, failed or was interrupted.
# Every name this file defines starts with nm_ or NM_, except the short
# verbs above; http_ helpers belong to test_http.sh's author.

if [ -z "${BASH_VERSION:-}" ]; then
    exec bash "$0" "$@"
fi

set -u

NM_TEST_NAME=$(basename "$0" .sh)
NM_INTEGRATION_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${top_srcdir:=$(cd "$NM_INTEGRATION_DIR/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${NM_EXPORTER:=$top_builddir/src/netmetrics_exporter}"
NM_PROMPARSE="$NM_INTEGRATION_DIR/promparse.py"
NM_FAILED=0
NM_PASSED=0
NM_CLEANUP=()        # commands, run in reverse order
NM_PIDS=()           # processes to stop
NM_NAMESPACES=()     # namespaces to delete
NM_EXPORTER_LOGS=()  # shown when the test fails
NM_EXPORTER_PID=
NM_EXPORTER_PORT=
NM_TMP=$(mktemp -d "${TMPDIR:-/tmp}/nmt-$NM_TEST_NAME.XXXXXX") || {
    echo "cannot create a scratch directory" >&2
    exit 99
}
export PYTHONDONTWRITEBYTECODE=1

# ----------------------------------------------------------------- results --
pass() {
    NM_PASSED=$((NM_PASSED + 1))
    echo "ok: $*"
}

# A failed assertion: recorded, and the test goes on (exit status 1 at the end).
fail() {
    NM_FAILED=$((NM_FAILED + 1))
    echo "FAIL: $*" >&2
}

# A failure after which the test cannot go on.
die() {
    fail "$@"
    exit 1
}

skip() {
    echo "SKIP: $*" >&2
    exit 77
}

# The test's last line: exit 1 if anything failed, else 0.
nm_finish() {
    if [ "$NM_FAILED" -gt 0 ]; then
        echo "$NM_TEST_NAME: $NM_FAILED assertion(s) failed, $NM_PASSED passed" >&2
        exit 1
    fi
    echo "$NM_TEST_NAME: all $NM_PASSED assertions passed"
    exit 0
}

require_root() {
    [ "$(id -u)" -eq 0 ] || skip "$NM_TEST_NAME needs root (network namespaces, veth)"
}

require_cmd() {
    local c
    for c in "$@"; do
        command -v "$c" >/dev/null 2>&1 || skip "$NM_TEST_NAME needs '$c' on PATH"
    done
}

nm_require_exporter() {
    [ -x "$NM_EXPORTER" ] || die "exporter not built: $NM_EXPORTER"
}

nm_require_promparse() {
    [ -r "$NM_PROMPARSE" ] ||
        die "$NM_PROMPARSE is missing (is tests/integration/promparse.py in EXTRA_DIST?)"
}

# ----------------------------------------------------------------- cleanup --
nm_on_exit() {
    NM_CLEANUP+=("$1")
}

nm_track_pid() {
    NM_PIDS+=("$1")
}

nm__stop_pid() {
    local pid=$1 i
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null
    for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        echo "note: pid $pid ignored SIGTERM for 2 s; sending SIGKILL" >&2
        kill -KILL "$pid" 2>/dev/null
    fi
    wait "$pid" 2>/dev/null
    return 0
}

nm__cleanup() {
    local status=$? i pid ns
    trap - EXIT INT TERM
    set +e
    if [ "$status" -eq 0 ] && [ "$NM_FAILED" -gt 0 ]; then
        status=1
    fi
    for ((i = ${#NM_CLEANUP[@]} - 1; i >= 0; i--)); do
        eval "${NM_CLEANUP[i]}" >/dev/null 2>&1
    done
    for pid in "${NM_PIDS[@]}"; do
        nm__stop_pid "$pid"
    done
    # An exporter built with sanitizers reports on the spot (ASan, UBSan) or
    # at exit (leaks): any such report fails the test.
    for i in "${NM_EXPORTER_LOGS[@]}"; do
        if grep -Eq 'AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:' \
            "$i" 2>/dev/null; then
            echo "FAIL: sanitizer report in $(basename "$i")" >&2
            status=1
        fi
    done
    if [ "$status" -ne 0 ] && [ "$status" -ne 77 ]; then
        for i in "${NM_EXPORTER_LOGS[@]}"; do
            [ -s "$i" ] || continue
            echo "---- last lines of $(basename "$i") ----" >&2
            tail -n 40 "$i" >&2
        done
    fi
    for ns in "${NM_NAMESPACES[@]}"; do
        # Anything still running in our own namespace was started by this
        # test (a helper not tracked by pid): stop it by its id.
        for pid in $(ip netns pids "$ns" 2>/dev/null); do
            nm__stop_pid "$pid"
        done
        ip netns del "$ns" 2>/dev/null
    done
    if [ -n "${NM_KEEP_TMP:-}" ]; then
        echo "scratch files kept in $NM_TMP" >&2
    else
        rm -rf "$NM_TMP"
    fi
    exit "$status"
}

trap nm__cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# -------------------------------------------------------------- namespaces --
# Name of a namespace unique to this run: nmt-PID-NAME (at most 32 bytes).
nm_ns() {
    echo "nmt-$$-$1"
}

# Creates namespace NAME (the full name, from nm_ns) with lo up, and deletes
# it at exit. Dies when it cannot.
nm_netns_add() {
    local ns=$1
    ip netns add "$ns" || die "cannot create network namespace $ns"
    NM_NAMESPACES+=("$ns")
    ip -n "$ns" link set lo up || die "cannot bring lo up in $ns"
}

# Runs a command in namespace NS, or in the current one when NS is "".
nm_in_ns() {
    local ns=$1
    shift
    if [ -n "$ns" ]; then
        ip netns exec "$ns" "$@"
    else
        "$@"
    fi
}

# ---------------------------------------------------------------- exporter --
# nm_start_exporter NS TAG [ARGS...]
# Starts the exporter in namespace NS ("" = this one) listening on
# 127.0.0.1:0, with stderr in $NM_TMP/exporter-TAG.log, waits for its
# `msg="listening" address=127.0.0.1:PORT` line and sets NM_EXPORTER_PID and
# NM_EXPORTER_PORT. Dies when it does not come up within 10 s.
nm_start_exporter() {
    local ns=$1 tag=$2 log i port
    shift 2
    nm_require_exporter
    log="$NM_TMP/exporter-$tag.log"
    NM_EXPORTER_LOGS+=("$log")
    : >"$log"
    # Started directly (not through a function, which would put a subshell
    # between us and it): $! is the exporter itself, as `ip netns exec`
    # execs its command.
    if [ -n "$ns" ]; then
        ip netns exec "$ns" "$NM_EXPORTER" --web.listen-address=127.0.0.1:0 "$@" \
            </dev/null >>"$log" 2>&1 &
    else
        "$NM_EXPORTER" --web.listen-address=127.0.0.1:0 "$@" </dev/null >>"$log" 2>&1 &
    fi
    NM_EXPORTER_PID=$!
    nm_track_pid "$NM_EXPORTER_PID"
    NM_EXPORTER_PORT=
    for ((i = 0; i < 100; i++)); do
        port=$(sed -n 's/.*msg="listening".*address=127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' \
            "$log" | head -n 1)
        if [ -n "$port" ]; then
            NM_EXPORTER_PORT=$port
            return 0
        fi
        if ! kill -0 "$NM_EXPORTER_PID" 2>/dev/null; then
            wait "$NM_EXPORTER_PID"
            die "exporter '$tag' ($*) exited with status $? before listening"
        fi
        sleep 0.1
    done
    die "exporter '$tag' ($*) logged no 'msg=\"listening\" address=127.0.0.1:PORT' line in 10 s"
}

# nm_scrape NS PORT [PATH]: GET http://127.0.0.1:PORT/PATH from inside NS;
# the body on stdout. Fails (status 1) on a transport error or a status >= 400.
nm_scrape() {
    local ns=$1 port=$2 path=${3:-/metrics}
    nm_in_ns "$ns" curl -sS --fail --max-time 10 --noproxy '*' "http://127.0.0.1:$port$path"
}

# nm_scrape_to NS PORT FILE [PATH]: as nm_scrape, into FILE; dies on failure.
nm_scrape_to() {
    local ns=$1 port=$2 file=$3 path=${4:-/metrics}
    nm_scrape "$ns" "$port" "$path" >"$file" || die "scrape of 127.0.0.1:$port$path in '${ns:-current namespace}' failed"
}

# nm_promparse FILE [ARGS...]: promparse.py on FILE (see that file).
nm_promparse() {
    python3 "$NM_PROMPARSE" "$@"
}
