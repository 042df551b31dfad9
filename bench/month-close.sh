#!/usr/bin/env bash
# Issue 15: the month close (preview every statement, then close) for one branch of N technicians, M orders in the
# month and L ledger lines, on SQLite and PostgreSQL, as finance sees it through the API. docs/benchmarks.md ("Month close").
#   bench/month-close.sh [technicians] [orders] [ledgerLines] [providers]
#   bench/month-close.sh 2000 300000 50000 "Sqlite Postgres"     # the issue's size (a quiet machine: minutes of seeding)
#   bench/month-close.sh 50 2000 500 Sqlite                      # a quick check that it works
set -euo pipefail
cd "$(dirname "$0")/.."
techs=${1:-2000}; orders=${2:-300000}; lines=${3:-50000}; providers=${4:-"Sqlite Postgres"}
work=$(mktemp -d /tmp/fieldline-monthclose.XXXXXX)
port=${FIELDLINE_BENCH_PORT:-5178}
export FIELDLINE_PASSWORD=Bench-Password-1
# The month just ended (only an ended month can be closed), in the branch's time zone.
month=$(TZ=Asia/Shanghai date -d "$(TZ=Asia/Shanghai date +%Y-%m-01) -1 month" +%Y-%m)
dotnet build src/Fieldline.Web -c Release -nologo -clp:ErrorsOnly >/dev/null
dotnet build bench/Fieldline.Bench.MonthClose -c Release -nologo -clp:ErrorsOnly >/dev/null
bench() { dotnet bench/Fieldline.Bench.MonthClose/bin/Release/net10.0/Fieldline.Bench.MonthClose.dll "$@"; }

app_pid=
start_app() { # provider connection-string
  (cd src/Fieldline.Web && exec dotnet bin/Release/net10.0/Fieldline.Web.dll --urls=http://127.0.0.1:$port --Database:Provider=$1 \
    "--ConnectionStrings:$1=$2" --Fieldline:DemoData=true --Fieldline:DemoPassword=$FIELDLINE_PASSWORD \
    --Fieldline:Auth:LoginAttemptsPerMinute=1000000 --Logging:LogLevel:Default=Warning >"$work/app.log" 2>&1) &
  app_pid=$!
  for _ in $(seq 1 240); do curl -sf -o /dev/null http://127.0.0.1:$port/health && return 0; sleep 0.5; done
  echo "the app did not start"; tail -20 "$work/app.log"; exit 1
}
stop_app() { [ -n "$app_pid" ] && { kill "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; }; app_pid=; }
peak_rss_while() { # runs the command, prints the app's largest RSS meanwhile
  local peak=0 pid r; pid=$(pgrep -P "$app_pid" -f Fieldline.Web.dll || echo "$app_pid")
  "$@" & local job=$!
  while kill -0 $job 2>/dev/null; do r=$(awk '/VmRSS/ {print $2}' /proc/$pid/status 2>/dev/null || echo 0); [ "$r" -gt "$peak" ] && peak=$r; sleep 0.2; done
  wait $job; echo "peak RSS $((peak / 1024)) MB"
}
trap 'stop_app; cp "$work/app.log" /tmp/fieldline-monthclose-app.log 2>/dev/null; rm -rf "$work"' EXIT

echo "# $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1 /proc/loadavg), $(date -u +%FT%TZ); month $month"
for provider in $providers; do
  if [ "$provider" = Postgres ]; then
    source scripts/postgres.sh
    FIELDLINE_PG_OPTIONS="-c fsync=on -c synchronous_commit=on -c shared_buffers=256MB" start_throwaway_postgres >/dev/null
    cs="$FIELDLINE_TEST_POSTGRES;Database=fieldline_monthclose"
  else
    cs="Data Source=$work/monthclose.db"
  fi
  start_app "$provider" "$cs"          # migrates and seeds the demo company
  bench template http://127.0.0.1:$port # one real fine line to copy
  stop_app
  bench seed "$provider" "$cs" "$month" "$techs" "$orders" "$lines"
  start_app "$provider" "$cs"
  echo "## $provider: $techs technicians, $orders orders, $lines ledger lines in $month"
  peak_rss_while bench time http://127.0.0.1:$port "$month"
  stop_app
done
