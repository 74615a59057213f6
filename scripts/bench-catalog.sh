#!/usr/bin/env bash
# Catalog benchmark: seeds N programs (default 20,000) into a fresh SQLite
# database and a fresh PostgreSQL database, serves each with the release
# binary and measures with wrk at 64 connections, every row beside /healthz
# of the same server:
#   popular   20 typical searches repeated (mostly answered from the cache);
#   varied    100,000 distinct searches built from the catalog's own words
#             (prefixes of every length, typos, two words, random filters,
#             sorts and pages; scripts/bench-queries.py), none repeated during
#             a run, with the answer cache and, on a second server, without;
#   card      12,000 distinct program cards.
# RSS is read after the runs. Prints one table; with BENCH_SUMMARY=file the
# rows of the goals also go into that file for scripts/bench-table.py.
# Usage: scripts/bench-catalog.sh [programs] [seconds]
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

echo "/healthz" > "$work/healthz.txt"
cat > "$work/paths.lua" <<'LUA'
-- Each thread walks its own part of the list in order, so no path is asked
-- twice until a part is used up (done() reports whether that happened).
local threads, counter = {}, 0
function setup(thread)
  counter = counter + 1
  thread:set("part", counter)
  table.insert(threads, thread)
end
function init(args)
  local all = {}
  for line in io.lines(os.getenv("WRK_PATHS")) do all[#all + 1] = line end
  local parts = tonumber(os.getenv("WRK_THREADS"))
  paths = {}
  for i = part, #all, parts do paths[#paths + 1] = all[i] end
  i, sent, size = 0, 0, #paths
end
function request()
  i = i % #paths + 1
  sent = sent + 1
  return wrk.format("GET", paths[i])
end
function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    local sent, size = thread:get("sent"), thread:get("size")
    if sent > size then io.stderr:write(string.format("note: a thread sent %d requests over %d distinct paths\n", sent, size)) end
  end
end
LUA

# Runs wrk over the paths of $1; prints "rps p50 p99".
load() {
  local out
  out=$(WRK_PATHS="$work/$1.txt" WRK_THREADS="$threads" wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency \
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

# Serves $1 with the catalog caches of $2 MB each (the server's default when empty).
serve() {
  env ${2:+CATALOG_CACHE_MB="$2"} DATABASE_URL="$1" BIND_ADDR="127.0.0.1:$port" WEB_DIST="$work/none" MAIL_DIR="$work/mail" RUST_LOG=warn \
    JWT_SECRET=bench-secret DATA_KEY=bench-data-key "$bin" serve > "$work/server.log" 2>&1 &
  echo $! > "$work/pid"
  for _ in $(seq 600); do
    curl -sf "http://127.0.0.1:$port/readyz" > /dev/null && return 0
    sleep 0.1
  done
  cat "$work/server.log" >&2
  exit 1
}

rss() { echo $(( $(awk '/VmRSS/ {print $2}' "/proc/$(cat "$work/pid")/status") / 1024 )); }
stop() { kill "$(cat "$work/pid")"; wait "$(cat "$work/pid")" 2>/dev/null || true; }
ratio() { printf '%.2f' "$(echo "scale=4; $1 / $2" | bc)"; }
# A row of the goals' table: what, backend, value (scripts/bench-table.py).
goal() { [ -z "${BENCH_SUMMARY:-}" ] || printf '%s|%s|%s\n' "$1" "$2" "$3" >> "$BENCH_SUMMARY"; }
row() { printf '| %-10s | %-22s | %8.0f | %8s | %8s | %5s |\n' "$1" "$2" "$3" "$4" "$5" "$(ratio "$3" "$6")"; }

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
  sql="SELECT title || ' ' || profile FROM programs WHERE status = 'published' UNION ALL SELECT name FROM organizations"
  ids="SELECT id FROM programs WHERE status = 'published'"
  municipalities="SELECT count(*) FROM municipalities"
  if [ "$backend" = sqlite ]; then q() { sqlite3 "$url" "$1"; }; else q() { psql "$url" -qAtc "$1"; }; fi
  q "$sql" > "$work/words.txt"
  q "$ids" > "$work/ids.txt"
  python3 scripts/bench-queries.py "$work/words.txt" "$work/ids.txt" "$(q "$municipalities")" "$work"

  serve "$url" ""
  read -r h_rps h_p50 h_p99 <<< "$(load healthz)"
  rows+=("$(row "$backend" "/healthz" "$h_rps" "$h_p50" "$h_p99" "$h_rps")")
  read -r rps p50 p99 <<< "$(load popular)"
  rows+=("$(row "$backend" "popular searches" "$rps" "$p50" "$p99" "$h_rps")")
  goal "popular searches ÷ /healthz" "$backend" "$(ratio "$rps" "$h_rps")"
  read -r rps p50 p99 <<< "$(load varied)"
  rows+=("$(row "$backend" "varied search, cache" "$rps" "$p50" "$p99" "$h_rps")")
  goal "varied search ÷ /healthz (answer cache on)" "$backend" "$(ratio "$rps" "$h_rps")"
  goal "varied search p99 (answer cache on)" "$backend" "$p99"
  read -r rps p50 p99 <<< "$(load card)"
  rows+=("$(row "$backend" "program card" "$rps" "$p50" "$p99" "$h_rps")")
  goal "program card ÷ /healthz" "$backend" "$(ratio "$rps" "$h_rps")"
  goal "program card p99" "$backend" "$p99"
  rss_cached=$(rss)
  stop

  serve "$url" 0
  read -r h_rps h_p50 h_p99 <<< "$(load healthz)"
  read -r rps p50 p99 <<< "$(load varied)"
  rows+=("$(row "$backend" "varied search, no cache" "$rps" "$p50" "$p99" "$h_rps")")
  goal "varied search ÷ /healthz (no cache)" "$backend" "$(ratio "$rps" "$h_rps")"
  goal "varied search p99 (no cache)" "$backend" "$p99"
  rss_uncached=$(rss)
  stop
  rows+=("$(printf '| %-10s | seeded in %.1f s; RSS after the runs: %d MiB (caches on), %d MiB (caches off) |' \
    "$backend" "$seeded" "$rss_cached" "$rss_uncached")")
  goal "API RSS after the runs (caches on / off)" "$backend" "$rss_cached / $rss_uncached MiB"
done

echo
echo "Catalog benchmark: $programs programs, wrk $threads threads × $connections connections, ${seconds} s per run"
echo
echo "| backend    | run                    |    req/s |      p50 |      p99 | ÷ /healthz |"
echo "|------------|------------------------|---------:|---------:|---------:|-----------:|"
printf '%s\n' "${rows[@]}"
