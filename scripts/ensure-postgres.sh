#!/usr/bin/env bash
# Prints the URL of a PostgreSQL server for the tests (without a database
# name): the one at 127.0.0.1:5432 when it answers, otherwise a throwaway
# cluster started here with the installed initdb/pg_ctl on port 55432.
set -euo pipefail

if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  echo "postgres://postgres@127.0.0.1:5432"
  exit 0
fi

port=55432
dir=${NAVIGATOR_PG_DIR:-/tmp/navigator-test-pg}
if pg_isready -q -h 127.0.0.1 -p "$port" 2>/dev/null; then
  echo "postgres://postgres@127.0.0.1:$port"
  exit 0
fi

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "==> installing postgresql for a throwaway test cluster" >&2
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >&2
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi

as_postgres=()
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home /var/lib/postgresql postgres
  as_postgres=(runuser -u postgres --)
fi
rm -rf "$dir" && mkdir -p "$dir" && chown "$( [ "$(id -u)" -eq 0 ] && echo postgres || id -un )" "$dir"
"${as_postgres[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >&2
"${as_postgres[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >&2
echo "postgres://postgres@127.0.0.1:$port"
