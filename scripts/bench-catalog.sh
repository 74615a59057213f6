#!/usr/bin/env bash
# Catalog benchmark: seeds N programs (default 20,000) into a fresh SQLite
# database and a fresh PostgreSQL database, serves each with the release
# binary and measures with wrk at 64 connections: /healthz, catalog searches
# (typical filter combinations and text queries, mixed), program cards.
# Prints one table. Usage: scripts/bench-catalog.sh [programs] [seconds]
set -euo pipefail

programs=${1:-20000}
seconds=${2:-15}
connections=64
threads=2
bin=./target/release/navigator
work=$(mktemp -d /tmp/navigator-bench.XXXXXX)
port=18080
pg=$(scripts/ensure-postgres.sh)
pg_db=navigator_bench_$$
trap 'kill $(cat "$work/pid" 2>/dev/null) 2>/dev/null || true; psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

urlencode() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe="=&"))' "$1"; }

# Typical searches: filters alone and combined, text prefixes, a typo, sorts, pages.
: > "$work/search.txt"
for q in \
  "" "municipality_id=1" "direction=technical" "age=9" "cost=certificate" "open=true" \
  "municipality_id=1&direction=arts&age=8" "municipality_id=3&cost=free&open=true" \
  "direction=physical_sports&age=12&sort=rating" "age=7&cost=certificate&sort=popularity&page=2" \
  "q=робот" "q=танц" "q=шахматы" "q=робатехника" "q=английский&age=10" "q=рисование&municipality_id=1" \
  "q=футбол&open=true" "q=программирование&sort=rating" "sort=newest&per_page=50" "municipality_id=12&page=3"
do
  echo "/api/v1/programs?$(urlencode "$q")" >> "$work/search.txt"
done
for _ in $(seq 200); do echo "/api/v1/programs/$(( (RANDOM * 32768 + RANDOM) % programs + 1 ))"; done > "$work/card.txt"
echo "/healthz" > "$work/healthz.txt"
cat > "$work/paths.lua" <<'LUA'
local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do paths[#paths + 1] = line end
local i = math.random(#paths)
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
LUA

# Runs wrk over the paths of $1; prints "rps p50 p99".
load() {
  local out
  out=$(WRK_PATHS="$work/$1.txt" wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency \
    -s "$work/paths.lua" "http://127.0.0.1:$port" 2>&1)
  if echo "$out" | grep -q "Non-2xx"; then
    echo "$out" >&2
    echo "wrk: non-2xx answers for $1" >&2
    exit 1
  fi
  local rps p50 p99
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  echo "$rps $p50 $p99"
}

serve() {
  DATABASE_URL="$1" BIND_ADDR="127.0.0.1:$port" WEB_DIST="$work/none" MAIL_DIR="$work/mail" RUST_LOG=warn \
    JWT_SECRET=bench-secret DATA_KEY=bench-data-key "$bin" serve > "$work/server.log" 2>&1 &
  echo $! > "$work/pid"
  for _ in $(seq 600); do
    curl -sf "http://127.0.0.1:$port/readyz" > /dev/null && return 0
    sleep 0.1
  done
  cat "$work/server.log" >&2
  exit 1
}

rows=()
for backend in sqlite postgres; do
  if [ "$backend" = sqlite ]; then url="$work/bench.db"; else
    psql "$pg/postgres" -qc "CREATE DATABASE $pg_db"
    url="$pg/$pg_db"
  fi
  started=$(date +%s.%N)
  DATABASE_URL="$url" BIND_ADDR=127.0.0.1:0 MAIL_DIR="$work/mail" JWT_SECRET=bench-secret DATA_KEY=bench-data-key RUST_LOG=warn \
    "$bin" seed --scale "$programs" > "$work/seed.log" 2>&1 || { cat "$work/seed.log"; exit 1; }
  seeded=$(echo "$(date +%s.%N) - $started" | bc)
  serve "$url"
  rss_before=$(awk '/VmRSS/ {print $2}' "/proc/$(cat "$work/pid")/status")
  read -r h_rps h_p50 h_p99 <<< "$(load healthz)"
  read -r s_rps s_p50 s_p99 <<< "$(load search)"
  read -r c_rps c_p50 c_p99 <<< "$(load card)"
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$(cat "$work/pid")/status")
  kill "$(cat "$work/pid")"; wait "$(cat "$work/pid")" 2>/dev/null || true
  ratio=$(echo "scale=2; $s_rps / $h_rps" | bc)
  rows+=("$(printf '| %-10s | %8.0f | %8.0f | %8s | %8s | %5s | %8.0f | %8s | %8s | %6.1f s | %4d MiB |' \
    "$backend" "$h_rps" "$s_rps" "$s_p50" "$s_p99" "$ratio" "$c_rps" "$c_p50" "$c_p99" "$seeded" $((rss / 1024)))")
  echo "($backend done; RSS at start $((rss_before / 1024)) MiB)" >&2
done

echo
echo "Catalog benchmark: $programs programs, wrk $threads threads × $connections connections, ${seconds} s per run"
echo
echo "| backend    | healthz/s | search/s | search p50 | search p99 | ratio | card/s | card p50 | card p99 | seed | RSS |"
echo "|------------|----------:|---------:|-----------:|-----------:|------:|-------:|---------:|---------:|-----:|----:|"
printf '%s\n' "${rows[@]}"
