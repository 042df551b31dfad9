#!/usr/bin/env bash
# Issue 14: Fieldline's write path beside the raw database, and its reads as the history grows. Prints tab-separated
# figures; docs/benchmarks.md ("Scale") records a run and how to read it.
#   bench/scale.sh write  [seconds]            raw SQLite commit; creates (the .NET client, then wrk when installed), then create→dispatch→accept→contact, at 1 and 50 clients on SQLite; pgbench and the same on PostgreSQL
#   bench/scale.sh reads  [sizes] [providers]  e.g. "10000 100000 1000000" "Sqlite Postgres": every read's median at each size
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
what=${1:-write}
work=$(mktemp -d /tmp/fieldline-scale.XXXXXX)
port=5177
export FIELDLINE_PASSWORD=Bench-Password-1
dotnet build src/Fieldline.Web -c Release -nologo -clp:ErrorsOnly >/dev/null
dotnet build bench/Fieldline.Bench.Scale -c Release -nologo -clp:ErrorsOnly >/dev/null
bench() { dotnet bench/Fieldline.Bench.Scale/bin/Release/net10.0/Fieldline.Bench.Scale.dll "$@"; }

# A durable PostgreSQL (fsync and synchronous commit on, unlike the test server), so pgbench and Fieldline pay the same.
pg() {
  source scripts/postgres.sh
  FIELDLINE_PG_OPTIONS="-c fsync=on -c synchronous_commit=on -c full_page_writes=on -c shared_buffers=256MB" start_throwaway_postgres >/dev/null
  PGHOST=127.0.0.1 PGPORT=$(sed -E 's/.*Port=([0-9]+).*/\1/' <<<"$FIELDLINE_TEST_POSTGRES"); export PGHOST PGPORT PGUSER=postgres
}

app_pid=
start_app() { # provider connection-string
  (cd src/Fieldline.Web && exec dotnet bin/Release/net10.0/Fieldline.Web.dll --urls=http://127.0.0.1:$port --Database:Provider=$1 \
    "--ConnectionStrings:$1=$2" --Fieldline:DemoData=true --Fieldline:DemoPassword=$FIELDLINE_PASSWORD \
    --Fieldline:Auth:LoginAttemptsPerMinute=1000000 --Logging:LogLevel:Default=Warning >"$work/app.log" 2>&1) &
  app_pid=$!
  for _ in $(seq 1 240); do curl -sf -o /dev/null http://127.0.0.1:$port/health && return 0; sleep 0.5; done
  echo "the app did not start"; tail -20 "$work/app.log"; exit 1
}
stop_app() { kill "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; }
rss() { awk '/VmRSS/ {printf "%.0f MB", $2/1024}' /proc/$(pgrep -P "$app_pid" -f Fieldline.Web.dll || echo "$app_pid")/status 2>/dev/null || echo "?"; }
peak_rss_while() { # runs the command, prints the app's largest RSS meanwhile
  local peak=0 pid; pid=$(pgrep -P "$app_pid" -f Fieldline.Web.dll || echo "$app_pid")
  "$@" & local job=$!
  while kill -0 $job 2>/dev/null; do r=$(awk '/VmRSS/ {print $2}' /proc/$pid/status 2>/dev/null || echo 0); [ "$r" -gt "$peak" ] && peak=$r; sleep 0.2; done
  wait $job; echo "peak RSS $((peak / 1024)) MB"
}
cpu_ticks() { awk '{print $14 + $15}' /proc/$(pgrep -P "$app_pid" -f Fieldline.Web.dll || echo "$app_pid")/stat; }
creates() { # url clients seconds: the load's figures, then the server's CPU per create (load-independent: the other figures are not)
  local before after out; before=$(cpu_ticks)
  out=$(bench write "$@"); echo "$out"
  after=$(cpu_ticks)
  awk -F'\t' -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v c="$2" '$1 == "create" { split($6, e, " "); n = e[4] } END { if (n > 0) printf "server CPU per create\t%s\t%.2f ms\n", c, t * 1000 / hz / n }' <<<"$out"
}
wrk_creates() { # url clients: the same creates driven by wrk (C, far lighter than the .NET client), when wrk is installed
  command -v wrk >/dev/null || return 0
  local token customers before after out
  token=$(curl -s -X POST "$1/api/auth/token" -H 'Content-Type: application/json' -d "{\"username\":\"clerk\",\"password\":\"$FIELDLINE_PASSWORD\"}" | sed -E 's/.*"accessToken":"([^"]+)".*/\1/')
  customers=$(curl -s "$1/api/customers?pageSize=200" -H "Authorization: Bearer $token" | python3 -c 'import sys, json; print(" ".join("%d:%s" % (c["id"], c["products"][0]["serialNumber"]) for c in json.load(sys.stdin)["items"] if c.get("products")))')
  before=$(cpu_ticks)
  out=$(wrk -t$(( $2 > 1 ? 2 : 1 )) -c"$2" -d"${seconds}s" -s bench/wrk/create.lua "$1" -- "$token" $customers | tail -1)
  after=$(cpu_ticks)
  echo -e "wrk create\t$2\t$out"
  awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v c="$2" -v line="$out" 'BEGIN { split(line, f, "of "); n = f[2] + 0; if (n > 0) printf "server CPU per create (wrk)\t%s\t%.2f ms\n", c, t * 1000 / hz / n }'
}
trap 'stop_app; rm -rf "$work"' EXIT

echo "# $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1 /proc/loadavg), $(date -u +%FT%TZ)"
case "$what" in
write)
  seconds=${2:-10}
  bench raw-sqlite "$work/raw.db" "$seconds"
  start_app Sqlite "Data Source=$work/fieldline.db"
  sleep 5; echo "idle RSS (SQLite) $(rss)"
  bench write http://127.0.0.1:$port 8 5 >/dev/null # warm-up: the 1-client figure is then the steady state, not the JIT's
  creates http://127.0.0.1:$port 1 "$seconds"
  peak_rss_while creates http://127.0.0.1:$port 50 "$seconds"
  wrk_creates http://127.0.0.1:$port 1
  wrk_creates http://127.0.0.1:$port 50
  bench lifecycle http://127.0.0.1:$port 1 "$seconds"
  bench lifecycle http://127.0.0.1:$port 50 "$seconds"
  stop_app
  pg
  createdb pgb; pgbench -i -q -s 1 pgb >/dev/null 2>&1
  for c in 1 8 50; do echo "pgbench-tpcb	$c	$(pgbench -n -c $c -j 2 -T "$seconds" pgb 2>/dev/null | awk '/^tps/ {printf "%.0f/s", $3}')"; done
  start_app Postgres "$FIELDLINE_TEST_POSTGRES;Database=fieldline;Maximum Pool Size=100"
  bench write http://127.0.0.1:$port 8 5 >/dev/null # warm-up, as above
  creates http://127.0.0.1:$port 1 "$seconds"
  creates http://127.0.0.1:$port 50 "$seconds"
  wrk_creates http://127.0.0.1:$port 1
  wrk_creates http://127.0.0.1:$port 50
  bench lifecycle http://127.0.0.1:$port 1 "$seconds"
  bench lifecycle http://127.0.0.1:$port 50 "$seconds"
  stop_app
  ;;
reads)
  sizes=${2:-"10000 100000"}; providers=${3:-"Sqlite Postgres"}
  for provider in $providers; do
    if [ "$provider" = Postgres ]; then pg; cs="$FIELDLINE_TEST_POSTGRES;Database=fieldline"; else cs="Data Source=$work/grow.db"; fi
    start_app "$provider" "$cs"; stop_app # migrate and seed the demo company
    for n in $sizes; do
      bench grow "$provider" "$cs" "$n"
      start_app "$provider" "$cs"
      echo "## $provider, $n orders, idle RSS $(rss)"
      peak_rss_while bench reads http://127.0.0.1:$port 15
      stop_app
    done
  done
  ;;
esac
