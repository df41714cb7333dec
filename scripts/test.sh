#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The one test command (README): installs dependencies, then
#   1. gcc build with --enable-werror in build/: make, make check,
#      make distcheck (also with --enable-werror);
#   2. clang build with --enable-sanitizers (ASan + UBSan) in build-asan/:
#      make check again, failing on any sanitizer report;
#   3. the libFuzzer targets (scripts/fuzz.sh), scan-build --status-bugs,
#      and the unit tests and the exporter under valgrind
#      (scripts/valgrind.sh, on the gcc build).
# Integration tests need root (network namespaces); as another user they
# skip. Exits non-zero on the first failure, after printing the logs of the
# tests that failed.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
JOBS=${JOBS:-2}
OS=$(uname -s)   # Linux, or Darwin (macOS: Homebrew instead of apt, see below)

section() {
    printf '\n==================== %s ====================\n' "$*"
}

# Prints test-suite.log (the logs of every failed test) under $1.
show_test_logs() {
    local f
    while IFS= read -r f; do
        echo "---------------- $f ----------------"
        cat "$f"
    done < <(find "$1" -name test-suite.log 2>/dev/null)
}

section "dependencies"
if [ "$OS" = Darwin ]; then
    # install-deps.sh is apt-based; on macOS the formulae come from Homebrew
    # (the CI installs them): only check that the tools are there.
    for c in autoreconf automake pkg-config make; do
        command -v "$c" >/dev/null 2>&1 || {
            echo "missing $c: brew install autoconf automake libtool pkg-config libmicrohttpd check" >&2
            exit 1
        }
    done
    # Homebrew installs GNU libtoolize as glibtoolize
    command -v libtoolize >/dev/null 2>&1 || export LIBTOOLIZE=glibtoolize
else
    bash scripts/install-deps.sh
fi

section "autoreconf"
if [ -f config.status ]; then
    echo "the source tree itself is configured; run 'make distclean' in $ROOT first" >&2
    exit 1
fi
autoreconf -fi

section "configure (gcc, --enable-werror) in build/"
chmod -R u+w build 2>/dev/null || true   # a failed distcheck leaves read-only dirs
rm -rf build
mkdir build
cd build
../configure CC=gcc --enable-werror

section "make"
make -j"$JOBS"

section "make check"
if ! make -j"$JOBS" check; then
    show_test_logs .
    section "make check FAILED"
    exit 1
fi

section "make distcheck"
if ! make -j"$JOBS" distcheck DISTCHECK_CONFIGURE_FLAGS=--enable-werror; then
    show_test_logs .
    section "make distcheck FAILED"
    exit 1
fi

section "configure (clang, --enable-sanitizers) in build-asan/"
cd "$ROOT"
chmod -R u+w build-asan 2>/dev/null || true
rm -rf build-asan
mkdir build-asan
cd build-asan
../configure CC=clang --enable-sanitizers --enable-werror

section "make (ASan + UBSan)"
make -j"$JOBS"

section "make check (ASan + UBSan)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
# Apple's clang has no LeakSanitizer on macOS
[ "$OS" = Darwin ] && export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
if ! make -j"$JOBS" check; then
    show_test_logs .
    section "make check (ASan + UBSan) FAILED"
    exit 1
fi
# Sanitizer reports can hide in a test's log while the test still exited 0.
if grep -rlE 'ERROR: (Address|Leak)Sanitizer|runtime error:' --include='*.log' \
    --exclude=config.log . ; then
    section "sanitizer reports found in the logs above"
    exit 1
fi

# libFuzzer, scan-build and valgrind are not part of Apple's toolchain.
if [ "$OS" = Darwin ]; then
    section "fuzz, scan-build, valgrind: Linux-only passes, skipped on macOS"
else
section "fuzz (libFuzzer + ASan + UBSan, ${FUZZ_BUDGET:-180} s shared by the targets) in build-fuzz/"
# Each parser's target runs for a bounded time from its seed corpus
# (tests/fuzz/corpus/); any crash, leak, timeout or failed check fails CI.
cd "$ROOT"
rm -rf build-fuzz
if ! FUZZ_BUDGET=${FUZZ_BUDGET:-180} bash scripts/fuzz.sh -b "$ROOT/build-fuzz"; then
    section "fuzz FAILED (reproducers in build-fuzz/artifacts/)"
    exit 1
fi

section "scan-build (clang static analyzer) in build-scan/"
cd "$ROOT"
chmod -R u+w build-scan 2>/dev/null || true
rm -rf build-scan
mkdir build-scan
cd build-scan
scan-build ../configure -q
# Everything that is compiled: the library, the programs and the tests
# (make check with no TESTS builds all, then check_PROGRAMS, and runs
# nothing). One goal only: `make -j all check` runs two sub-makes that race
# on the same objects.
if ! scan-build --status-bugs -o "$ROOT/build-scan/report" make -j"$JOBS" check TESTS=; then
    section "scan-build FAILED (reports in build-scan/report/)"
    exit 1
fi

section "valgrind memcheck (unit tests and the exporter) in build/"
cd "$ROOT"
if ! bash scripts/valgrind.sh "$ROOT/build"; then
    section "valgrind FAILED"
    exit 1
fi

fi # not Darwin

section "all passed"
# Both passes' results, from Automake's .trs files (distcheck's run aside).
shopt -s globstar nullglob
cd "$ROOT"
trs=(build/**/*.trs build-asan/**/*.trs)
if [ "${#trs[@]}" -gt 0 ]; then
    passed=$(cat "${trs[@]}" | grep -c ':test-result: PASS' || true)
    failed=$(cat "${trs[@]}" | grep -cE ':test-result: (FAIL|ERROR|XPASS)' || true)
    skipped=$(cat "${trs[@]}" | grep -c ':test-result: SKIP' || true)
    echo "tests: $passed passed, $failed failed, $skipped skipped"
fi
