#!/usr/bin/env bash
# Fuzzes every operation of the OpenAPI document with schemathesis (all
# default checks; examples, coverage, fuzzing and stateful phases), once
# anonymous and once with an admin API token that holds every scope, against
# a demo instance of the binary. Any failure fails the script.
#
#   NETCREW_BIN=target/debug/netcrew scripts/schemathesis.sh
#
# SCHEMATHESIS_MAX_EXAMPLES bounds the cases per operation (default 25).
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${NETCREW_BIN:-${CARGO_TARGET_DIR:-$PWD/target}/debug/netcrew}"
examples="${SCHEMATHESIS_MAX_EXAMPLES:-25}"
command -v schemathesis >/dev/null || { echo "schemathesis is not installed (pip install schemathesis)"; exit 1; }

dir="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
"$bin" demo --data-dir "$dir" --port "$port" --scale 0.1 --log warn >"$dir/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$dir"' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 1 120); do curl -fsS "$base/readyz" >/dev/null 2>&1 && break; sleep 0.5; done
curl -fsS "$base/readyz" >/dev/null

# An admin API token with every scope.
read -r login password < <(python3 -c '
import json,sys
for a in json.load(open(sys.argv[1])):
    if a["role"] == "admin": print(a["login"], a["password"]); break
' "$dir/demo-accounts.json")
jar="$dir/cookies"
me="$(curl -fsS -c "$jar" -H 'content-type: application/json' \
  -d "{\"login\":\"$login\",\"password\":\"$password\"}" "$base/api/v1/auth/login")"
csrf="$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["csrf_token"])' "$me")"
scopes='["profile.manage","users.read","users.manage","audit.read","teams.read","teams.manage","api_tokens.manage","network.read","network.manage","customers.read","customers.manage","demand.read","data.import","data.export"]'
token="$(curl -fsS -b "$jar" -H 'content-type: application/json' -H "x-csrf-token: $csrf" \
  -d "{\"name\":\"schemathesis\",\"scopes\":$scopes}" "$base/api/v1/api-tokens" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')"

# The token is given as the `api_token` security scheme's credentials, so
# schemathesis knows which scheme is valid when it checks that bad
# credentials are refused.
cp scripts/schemathesis.toml "$dir/anonymous.toml"
{ cat scripts/schemathesis.toml; printf '\n[auth.openapi.api_token]\nbearer = "%s"\n' "$token"; } >"$dir/token.toml"

# One worker: with two, Hypothesis (which changes the recursion limit while
# it draws) and CPython's compiler in the other thread can trip over each
# other ("AST constructor recursion depth mismatch"), an error of the tool
# and not of the API.
run() {
  local config="$1"
  shift
  schemathesis --config-file "$config" run "$base/api/openapi.json" \
    --phases examples,coverage,fuzzing,stateful \
    --max-examples "$examples" \
    --seed 20261128 \
    --workers 1 \
    --request-timeout 30 \
    --no-color \
    --suppress-health-check all \
    "$@"
}
echo "== schemathesis: anonymous"
run "$dir/anonymous.toml"
echo "== schemathesis: admin API token"
run "$dir/token.toml"
