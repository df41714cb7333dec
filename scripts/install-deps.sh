#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what building and testing netmetrics needs on Debian 12, with
# apt-get. Idempotent: when every package is already installed it touches
# nothing (no apt-get at all); `apt-get update` runs only when the package
# lists are missing or an install from them fails. Needs root (or sudo).
set -euo pipefail

PACKAGES=(
    build-essential autoconf automake libtool pkg-config
    libmicrohttpd-dev check libsubunit-dev zlib1g-dev
    iproute2 curl python3 jq iputils-ping procps
    prometheus          # promtool, and the server test_prometheus.sh runs
    python3-prometheus-client  # OpenMetrics parser for the tests
    clang valgrind man-db
    clang-tools         # for scan-build
    libyaml-dev libgnutls28-dev libcrypt-dev  # --web.config.file: YAML, TLS, bcrypt
    openssl             # test_webconfig.sh makes its CA and certificates
    strace              # test_filters.sh: a disabled collector's part is not read
)

missing=()
for p in "${PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
    [ "$status" = installed ] || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then
    echo "install-deps: all ${#PACKAGES[@]} packages present"
    exit 0
fi
echo "install-deps: installing ${missing[*]}"

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || {
        echo "install-deps: not root and no sudo; install as root: ${missing[*]}" >&2
        exit 1
    }
    SUDO=(sudo -n)
fi
export DEBIAN_FRONTEND=noninteractive
APT=("${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -y -q
     -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)

# Packages with services (prometheus) try to start them on install; in a
# container or CI there is nothing to start them with. Tell invoke-rc.d not
# to (exit 101 = action forbidden), unless a policy is already in place.
POLICY=/usr/sbin/policy-rc.d
if [ ! -e "$POLICY" ]; then
    printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee "$POLICY" >/dev/null
    "${SUDO[@]}" chmod 755 "$POLICY"
    trap '"${SUDO[@]}" rm -f "$POLICY"' EXIT
fi

have_lists() {
    compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null
}

install() {
    "${APT[@]}" install --no-install-recommends "${missing[@]}"
}

if ! have_lists; then
    "${APT[@]}" update
    install
elif ! install; then
    echo "install-deps: install failed; refreshing the package lists and retrying" >&2
    "${APT[@]}" update
    install
fi

still=()
for p in "${missing[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
    [ "$status" = installed ] || still+=("$p")
done
if [ "${#still[@]}" -gt 0 ]; then
    echo "install-deps: still missing after apt-get: ${still[*]}" >&2
    exit 1
fi
command -v promtool >/dev/null 2>&1 || { echo "install-deps: promtool not on PATH" >&2; exit 1; }
echo "install-deps: done"
