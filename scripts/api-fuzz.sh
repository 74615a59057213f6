#!/usr/bin/env bash
# The bounded schemathesis pass of `make test`: the server (debug build)
# with the demo data on SQLite or PostgreSQL, then schemathesis from PyPI
# against its own /api/openapi.json, once with the demo parent's token and
# once with the demo operator's. It fails on any 5xx answer, any status the
# document does not list, and any body or content type that does not match
# the document.
#
#   scripts/api-fuzz.sh sqlite|postgres [examples per operation]
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION=4.32.5
backend=${1:?usage: api-fuzz.sh sqlite|postgres [examples]}
examples=${2:-10}
bin=target/debug/navigator
venv=target/schemathesis
schemathesis="$PWD/$venv/bin/schemathesis"

if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
  echo "==> pip install schemathesis $SCHEMATHESIS_VERSION"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION"
fi
[ -x "$bin" ] || cargo build -q -p navigator-api

work=$(mktemp -d)
server=""
database=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  [ -n "$database" ] && psql -q "$pg_url/postgres" -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

case "$backend" in
  sqlite) url="$work/navigator.db" ;;
  postgres)
    pg_url=$(scripts/ensure-postgres.sh)
    database="navigator_fuzz_$$"
    psql -q "$pg_url/postgres" -c "CREATE DATABASE $database" >/dev/null
    url="$pg_url/$database"
    ;;
  *) echo "unknown backend $backend" >&2; exit 2 ;;
esac

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export DATABASE_URL="$url" BIND_ADDR="127.0.0.1:$port" MAIL_DIR="$work/mail" WEB_DIST="$work/no-web-client" \
  JWT_SECRET="fuzz-jwt-secret-$(date +%s%N)" DATA_KEY="fuzz-data-key-fuzz-data-key-fuzz" RUST_LOG=error
"$bin" seed
"$bin" serve >"$work/server.log" 2>&1 &
server=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 200); do
  curl -sf "$base/readyz" >/dev/null && break
  sleep 0.1
done

token() {
  curl -sf -X POST "$base/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$1@example.org\",\"password\":\"navigator-demo\"}" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])'
}

# Both tokens first: the run's own failed sign-ins use up this address's budget.
declare -A tokens
tokens[parent]=$(token parent)
tokens[operator]=$(token operator)
failed=0
for who in parent operator; do
  echo "==> schemathesis on $backend as the demo $who ($examples examples per operation)"
  # Signing out would end the token the rest of the run uses.
  # From the temporary folder: schemathesis keeps its cache in the current one.
  # One worker: Hypothesis reads its strategies' source with `ast.parse`,
  # which Python 3.11 can fail in two threads at once ("AST constructor
  # recursion depth mismatch").
  run() {
    (cd "$work" && "$schemathesis" run "$base/api/openapi.json" \
      -H "Authorization: Bearer ${tokens[$who]}" \
      --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
      --phases examples,coverage,fuzzing --max-examples "$examples" --seed 1 --no-shrink --workers 1 \
      --exclude-path /api/v1/auth/logout --warnings off --report-dir "$work/report") \
      >"$work/$who.txt" 2>&1
  }
  if ! run; then
    # A crash inside the tool itself (a Runtime Error while every generated
    # case passed) is run once more; a failed check is repeatable (seed 1).
    if grep -q "Runtime Error" "$work/$who.txt" && grep -qE "[0-9]+ generated, [0-9]+ passed$" "$work/$who.txt"; then
      echo "==> schemathesis itself failed (no check failed); running it once more"
      run || failed=1
    else
      failed=1
    fi
  fi
  grep -E "generated|passed|failures" "$work/$who.txt" | tail -n 2
  if [ "$failed" = 1 ]; then
    cat "$work/$who.txt"
    tail -n 50 "$work/server.log"
    break
  fi
done
exit "$failed"
