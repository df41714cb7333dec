#!/bin/sh
# SPDX-License-Identifier: MIT
# --web.config.file end to end, on loopback, with curl: HTTPS with a CA made
# here by openssl, plain HTTP refused on the TLS port, basic authentication
# (right password, wrong password, unknown user, none; the unknown user as
# slow as a wrong password; repeated credentials served from the cache),
# the configured headers on every answer, each client_auth_type enforced
# (absent certificate, certificate from another CA, the right one),
# min_version TLS13 against a TLS 1.2 client, and a bad file stopping the
# exporter with its file and line. The shipped etc/web-config.yml is loaded
# as it stands, from a copy next to the certificates its relative paths
# name. Needs no root; skips (77) without curl, openssl or Python's crypt.
. "$(dirname "$0")/lib.sh"

require_cmd curl openssl
nm_require_exporter
# Debian's python3 (the one on PATH may be another build without crypt)
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
"$PY" -W ignore -c 'import crypt; assert crypt.METHOD_BLOWFISH' 2>/dev/null ||
    skip "$NM_TEST_NAME needs Python's crypt module with bcrypt (python3)"

T=$NM_TMP
PASSWORD='correct horse'

# ------------------------------------------------------------ certificates --
# ca1 signs the server and the good client; ca2 signs a client that must be
# refused wherever certificates are verified.
pki() {
    openssl "$@" >>"$T/openssl.log" 2>&1 || die "openssl $1 failed (see below)"$'\n'"$(tail -n 5 "$T/openssl.log")"
}
mkca() {
    pki req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
        -keyout "$T/$1.key" -out "$T/$1.crt" -subj "/CN=netmetrics test $1"
}
# mkcert NAME CA EXTENSIONS
mkcert() {
    pki req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
        -keyout "$T/$1.key" -out "$T/$1.csr" -subj "/CN=$1"
    printf '%s\n' "$3" >"$T/$1.ext"
    pki x509 -req -in "$T/$1.csr" -CA "$T/$2.crt" -CAkey "$T/$2.key" -CAcreateserial \
        -CAserial "$T/$2.srl" -days 2 -out "$T/$1.crt" -extfile "$T/$1.ext"
}
mkca ca1
mkca ca2
mkcert server ca1 $'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth'
mkcert client ca1 'extendedKeyUsage=clientAuth'
mkcert stranger ca2 'extendedKeyUsage=clientAuth'

HASH=$("$PY" -W ignore -c 'import crypt, sys
print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=1 << 10)))' "$PASSWORD") ||
    die "cannot make a bcrypt hash"
case $HASH in '$2b$10$'*) ;; *) die "unexpected bcrypt hash '$HASH'" ;; esac

# ----------------------------------------------------------------- helpers --
# req TAG URL [CURL_ARGS...]: status code on stdout ("000": no HTTP answer),
# headers in $T/TAG.h, body in $T/TAG.b, curl's exit status in $T/TAG.rc,
# time from TLS established to first byte in $T/TAG.t.
req() {
    local tag=$1 url=$2 code rc=0
    shift 2
    code=$(curl -sS --noproxy '*' --max-time 10 -o "$T/$tag.b" -D "$T/$tag.h" \
        -w '%{http_code} %{time_appconnect} %{time_starttransfer}' "$@" "$url" \
        2>"$T/$tag.err") || rc=$?
    echo "$rc" >"$T/$tag.rc"
    set -- $code
    awk -v a="${2:-0}" -v b="${3:-0}" 'BEGIN { printf "%.6f\n", b - a }' >"$T/$tag.t"
    echo "${1:-000}"
}

# header TAG NAME: the value of header NAME in the answer saved under TAG.
header() {
    tr -d '\r' <"$T/$1.h" |
        awk -v n="$(echo "$2" | tr 'A-Z' 'a-z')" '
            { i = index($0, ":"); if (i == 0) next
              k = tolower(substr($0, 1, i - 1)); v = substr($0, i + 1); sub(/^ +/, "", v)
              if (k == n) { print v; exit } }'
}

# expect WHAT WANT GOT
expect() {
    if [ "$3" = "$2" ]; then
        pass "$1: $3"
    else
        fail "$1: got $3, want $2 ($(cat "$T/$tag.err" 2>/dev/null | head -c 300))"
    fi
}

# refused CODE WHAT TAG: the request saved under TAG got no HTTP answer.
refused() {
    local code=$1 what=$2
    if [ "$code" = 000 ] && [ "$(cat "$T/$3.rc")" != 0 ]; then
        pass "$what: refused (curl exit $(cat "$T/$3.rc"))"
    else
        fail "$what: answered with status $code, want no answer"
    fi
}

# has_header TAG NAME VALUE WHAT
has_header() {
    local got
    got=$(header "$1" "$2")
    if [ "$got" = "$3" ]; then
        pass "$4: $2: $3"
    else
        fail "$4: $2 is '$got', want '$3'"
    fi
}

# start TAG CONFIG: exporter with --web.config.file=CONFIG; sets URL.
start() {
    nm_start_exporter "" "$1" --web.config.file="$2"
    URL="https://127.0.0.1:$NM_EXPORTER_PORT"
    HTTP_URL="http://127.0.0.1:$NM_EXPORTER_PORT"
}

stop() {
    kill -TERM "$NM_EXPORTER_PID" 2>/dev/null
    wait "$NM_EXPORTER_PID" 2>/dev/null
}

# min_of TAG...: the smallest of the times saved under the TAGs.
min_of() {
    local t
    for t in "$@"; do cat "$T/$t.t"; done | sort -g | head -n 1
}

CA=(--cacert "$T/ca1.crt")
GOOD_CERT=(--cert "$T/client.crt" --key "$T/client.key")
STRANGER_CERT=(--cert "$T/stranger.crt" --key "$T/stranger.key")

# ------------------------------------------- TLS, basic auth and headers --
# Relative paths: the files sit next to the config, the exporter runs from
# elsewhere.
mkdir -p "$T/a"
cp "$T/server.crt" "$T/server.key" "$T/a/"
cat >"$T/a/web.yml" <<EOF
tls_server_config:
  cert_file: server.crt
  key_file: server.key
http_server_config:
  headers:
    X-Frame-Options: deny
    X-Content-Type-Options: nosniff
    Strict-Transport-Security: max-age=31536000
basic_auth_users:
  prometheus: $HASH
  grafana: $HASH
EOF
start auth "$T/a/web.yml"
grep -q 'msg="web config".*tls=true.*basic_auth_users=2 headers=3' "$T/exporter-auth.log" &&
    pass "the web config is logged" || fail "no 'web config' log line: $(grep -c . "$T/exporter-auth.log") lines"

tag=ok; code=$(req $tag "$URL/metrics" "${CA[@]}" -u "prometheus:$PASSWORD")
expect "HTTPS scrape with the CA and the right password" 200 "$code"
if grep -q '^netmetrics_receive_bytes_total{' "$T/ok.b"; then
    pass "the scrape holds the interface counters"
else
    fail "the scrape holds no netmetrics_receive_bytes_total"
fi
has_header ok X-Frame-Options deny "200"
has_header ok X-Content-Type-Options nosniff "200"
has_header ok Strict-Transport-Security max-age=31536000 "200"
has_header ok Content-Type 'text/plain; version=0.0.4; charset=utf-8' "200"

tag=other; code=$(req $tag "$URL/metrics" "${CA[@]}" -u "grafana:$PASSWORD")
expect "second user" 200 "$code"

tag=nocafile; code=$(req $tag "$URL/metrics" -u "prometheus:$PASSWORD")
refused "$code" "HTTPS without the CA (server certificate unverifiable)" $tag

tag=plain; code=$(req $tag "$HTTP_URL/metrics" -u "prometheus:$PASSWORD")
refused "$code" "plain HTTP to the TLS port" $tag

tag=wrong; code=$(req $tag "$URL/metrics" "${CA[@]}" -u "prometheus:wrong")
expect "wrong password" 401 "$code"
has_header wrong WWW-Authenticate 'Basic realm="netmetrics_exporter", charset="UTF-8"' "401"
has_header wrong X-Frame-Options deny "401"
tag=unknown; code=$(req $tag "$URL/metrics" "${CA[@]}" -u "mallory:$PASSWORD")
expect "unknown user" 401 "$code"
tag=none; code=$(req $tag "$URL/metrics" "${CA[@]}")
expect "no credentials" 401 "$code"
tag=bearer; code=$(req $tag "$URL/metrics" "${CA[@]}" -H 'Authorization: Bearer abc')
expect "another scheme" 401 "$code"
tag=health; code=$(req $tag "$URL/-/healthy" "${CA[@]}")
expect "/-/healthy without credentials (every path is protected)" 401 "$code"
tag=nf; code=$(req $tag "$URL/nothing" "${CA[@]}" -u "prometheus:$PASSWORD")
expect "unknown path with credentials" 404 "$code"
has_header nf X-Content-Type-Options nosniff "404"
tag=post; code=$(req $tag "$URL/metrics" "${CA[@]}" -u "prometheus:wrong" -X POST)
expect "POST with a wrong password: authentication comes first" 401 "$code"

# Timing: an unknown user costs a bcrypt like a wrong password (a dummy
# hash); a right password seen before is served from the cache. Fastest of
# three each, interleaved; bcrypt at cost 10 is tens of milliseconds.
for i in 1 2 3; do
    tag=tw$i; req $tag "$URL/-/healthy" "${CA[@]}" -u "prometheus:wrong" >/dev/null
    tag=tu$i; req $tag "$URL/-/healthy" "${CA[@]}" -u "mallory:wrong" >/dev/null
    tag=tr$i; req $tag "$URL/-/healthy" "${CA[@]}" -u "prometheus:$PASSWORD" >/dev/null
done
tw=$(min_of tw1 tw2 tw3)
tu=$(min_of tu1 tu2 tu3)
tr=$(min_of tr1 tr2 tr3)
if awk -v w="$tw" -v u="$tu" 'BEGIN { exit !(u > w / 4) }'; then
    pass "unknown user ${tu}s vs wrong password ${tw}s: no shortcut for unknown users"
else
    fail "unknown user answered in ${tu}s, wrong password in ${tw}s: user existence shows in timing"
fi
if awk -v w="$tw" -v r="$tr" 'BEGIN { exit !(r < w / 2) }'; then
    pass "cached right password ${tr}s vs wrong password ${tw}s"
else
    fail "right password took ${tr}s, wrong ${tw}s: repeated credentials are not cached"
fi
stop

# ----------------------------------- the shipped example: client certificates --
# etc/web-config.yml as it stands: RequireAndVerifyClientCert against
# tls/client-ca.crt, server certificate in tls/.
mkdir -p "$T/ex/tls"
cp "$top_srcdir/etc/web-config.yml" "$T/ex/web-config.yml"
cp "$T/server.crt" "$T/ex/tls/server.crt"
cp "$T/server.key" "$T/ex/tls/server.key"
cp "$T/ca1.crt" "$T/ex/tls/client-ca.crt"
start example "$T/ex/web-config.yml"
tag=ex_none; code=$(req $tag "$URL/metrics" "${CA[@]}")
refused "$code" "RequireAndVerifyClientCert, no client certificate" $tag
tag=ex_stranger; code=$(req $tag "$URL/metrics" "${CA[@]}" "${STRANGER_CERT[@]}")
refused "$code" "RequireAndVerifyClientCert, certificate from another CA" $tag
tag=ex_good; code=$(req $tag "$URL/metrics" "${CA[@]}" "${GOOD_CERT[@]}")
expect "RequireAndVerifyClientCert, the right certificate" 200 "$code"
grep -q '^netmetrics_' "$T/ex_good.b" && pass "served metrics" || fail "no metrics in the answer"
has_header ex_good X-Content-Type-Options nosniff "example config"
has_header ex_good X-Frame-Options deny "example config"
tag=ex_12; code=$(req $tag "$URL/metrics" "${CA[@]}" "${GOOD_CERT[@]}" --tls-max 1.2)
expect "RequireAndVerifyClientCert over TLS 1.2" 200 "$code"
tag=ex_12none; code=$(req $tag "$URL/metrics" "${CA[@]}" --tls-max 1.2)
refused "$code" "RequireAndVerifyClientCert over TLS 1.2, no certificate" $tag
stop

# --------------------------------------------- the other client_auth_types --
# client_mode TAG TYPE [CA]: an exporter with that policy.
client_mode() {
    mkdir -p "$T/$1"
    {
        echo "tls_server_config:"
        echo "  cert_file: $T/server.crt"
        echo "  key_file: $T/server.key"
        echo "  client_auth_type: $2"
        [ -n "${3:-}" ] && echo "  client_ca_file: $3"
    } >"$T/$1/web.yml"
    start "$1" "$T/$1/web.yml"
}

client_mode vig VerifyClientCertIfGiven "$T/ca1.crt"
tag=vig_none; code=$(req $tag "$URL/metrics" "${CA[@]}")
expect "VerifyClientCertIfGiven, no certificate" 200 "$code"
tag=vig_stranger; code=$(req $tag "$URL/metrics" "${CA[@]}" "${STRANGER_CERT[@]}")
refused "$code" "VerifyClientCertIfGiven, certificate from another CA" $tag
tag=vig_good; code=$(req $tag "$URL/metrics" "${CA[@]}" "${GOOD_CERT[@]}")
expect "VerifyClientCertIfGiven, the right certificate" 200 "$code"
stop

client_mode rany RequireAnyClientCert
tag=rany_none; code=$(req $tag "$URL/metrics" "${CA[@]}")
refused "$code" "RequireAnyClientCert, no certificate" $tag
tag=rany_stranger; code=$(req $tag "$URL/metrics" "${CA[@]}" "${STRANGER_CERT[@]}")
expect "RequireAnyClientCert, any certificate" 200 "$code"
stop

client_mode req RequestClientCert
tag=req_none; code=$(req $tag "$URL/metrics" "${CA[@]}")
expect "RequestClientCert, no certificate" 200 "$code"
tag=req_stranger; code=$(req $tag "$URL/metrics" "${CA[@]}" "${STRANGER_CERT[@]}")
expect "RequestClientCert, unchecked certificate" 200 "$code"
stop

# -------------------------------------------------------------- min_version --
mkdir -p "$T/v13"
cat >"$T/v13/web.yml" <<EOF
tls_server_config:
  cert_file: $T/server.crt
  key_file: $T/server.key
  min_version: TLS13
EOF
start v13 "$T/v13/web.yml"
tag=v13_12; code=$(req $tag "$URL/metrics" "${CA[@]}" --tls-max 1.2)
refused "$code" "min_version TLS13, a TLS 1.2-only client" $tag
tag=v13_13; code=$(req $tag "$URL/metrics" "${CA[@]}" --tlsv1.3)
expect "min_version TLS13, a TLS 1.3 client" 200 "$code"
stop

# ------------------------------------------------------------- bad configs --
# bad TAG WANT: the exporter given $T/TAG.yml exits 1 and says WANT.
bad() {
    local rc=0
    timeout 20 "$NM_EXPORTER" --web.listen-address=127.0.0.1:0 --web.config.file="$T/$1.yml" \
        </dev/null >"$T/$1.out" 2>&1 || rc=$?
    if [ "$rc" -ne 1 ]; then
        fail "$1: exit status $rc, want 1 ($(head -c 300 "$T/$1.out"))"
    elif ! grep -qF -- "$2" "$T/$1.out"; then
        fail "$1: output lacks '$2': $(head -c 400 "$T/$1.out")"
    else
        pass "$1: exit 1, '$2'"
    fi
}
printf 'tls_server_config:\n  cert_file: c\n  key_file: k\n  foo: 1\n' >"$T/badkey.yml"
bad badkey "web config $T/badkey.yml:4: unknown key \\\"foo\\\" in tls_server_config"
printf 'tls_server_config:\n  cert_file: %s\n  key_file: missing.key\n' "$T/server.crt" >"$T/badfile.yml"
bad badfile "web config $T/badfile.yml:3: cannot read key_file"
printf 'basic_auth_users:\n  prometheus: plaintext\n' >"$T/badhash.yml"
bad badhash "web config $T/badhash.yml:2: password of user"
bad nosuch "web config $T/nosuch.yml: cannot read: No such file or directory"

nm_finish
