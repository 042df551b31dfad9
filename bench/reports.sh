#!/usr/bin/env bash
# Issue 19: the dashboard and the reports as the history grows. For each size, a database of its own is grown to N orders
# spread over two years (the demo company's orders copied back in time with their timelines and clocks: Fieldline.Bench.Scale's
# Grow), then, against the running app: the dashboard for one branch and one month, the company's year, GET /api/reports/kpis
# for a month and a year, and the monthly report to the GM office (RPT-03) built — medians, bytes, the app's peak RSS.
# docs/benchmarks.md ("Reports") records how to read it.
#   bench/reports.sh [sizes] [providers] [runs]
#   bench/reports.sh "10000 100000 1000000" "Sqlite Postgres"    # the issue's sizes (a quiet machine: the 1 M grow takes long)
#   bench/reports.sh 10000 Sqlite                                 # a quick check that it works
# FIELDLINE_BENCH_KEEP=<dir>: the SQLite databases live in <dir> and one already grown there is reused (grow once, time
# later: the 1 M grow takes minutes); the app migrates it to the current schema when it starts. FIELDLINE_BENCH_GROW_ONLY=1
# grows and does not time. With FIELDLINE_TEST_POSTGRES set, PostgreSQL is that server (kept between runs: with
# FIELDLINE_BENCH_KEEP a database grown there once is reused too), else a throwaway one.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=${1:-"10000 100000 1000000"}; providers=${2:-"Sqlite Postgres"}; runs=${3:-5}
work=$(mktemp -d /tmp/fieldline-reports.XXXXXX)
port=${FIELDLINE_BENCH_PORT:-5179}
export FIELDLINE_PASSWORD=Bench-Password-1
dotnet build src/Fieldline.Web -c Release -nologo -clp:ErrorsOnly >/dev/null
dotnet build bench/Fieldline.Bench.Scale -c Release -nologo -clp:ErrorsOnly >/dev/null
bench() { dotnet bench/Fieldline.Bench.Scale/bin/Release/net10.0/Fieldline.Bench.Scale.dll "$@"; }

app_pid=
start_app() { # provider connection-string
  (cd src/Fieldline.Web && exec dotnet bin/Release/net10.0/Fieldline.Web.dll --urls=http://127.0.0.1:$port --Database:Provider=$1 \
    "--ConnectionStrings:$1=$2" --Fieldline:DemoData=true --Fieldline:DemoPassword=$FIELDLINE_PASSWORD \
    --Fieldline:Auth:LoginAttemptsPerMinute=1000000 --Logging:LogLevel:Default=Warning >"$work/app.log" 2>&1) &
  app_pid=$!
  for _ in $(seq 1 600); do curl -sf -o /dev/null http://127.0.0.1:$port/health && return 0; sleep 0.5; done
  echo "the app did not start"; tail -20 "$work/app.log"; exit 1
}
stop_app() { [ -n "$app_pid" ] && { kill "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; }; app_pid=; }
app_process() { pgrep -P "$app_pid" -f Fieldline.Web.dll || echo "$app_pid"; }
rss() { awk '/VmRSS/ {printf "%.0f MB", $2/1024}' /proc/$(app_process)/status 2>/dev/null || echo "?"; }
peak_rss_while() { # runs the command, prints the app's largest RSS meanwhile
  local peak=0 pid r; pid=$(app_process)
  "$@" & local job=$!
  while kill -0 $job 2>/dev/null; do r=$(awk '/VmRSS/ {print $2}' /proc/$pid/status 2>/dev/null || echo 0); [ "$r" -gt "$peak" ] && peak=$r; sleep 0.2; done
  wait $job; echo "peak RSS $((peak / 1024)) MB"
}
trap 'stop_app; rm -rf "$work"' EXIT

echo "# $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1 /proc/loadavg), $(date -u +%FT%TZ)"
for provider in $providers; do
  if [ "$provider" = Postgres ] && [ -z "${FIELDLINE_TEST_POSTGRES:-}" ]; then
    source scripts/postgres.sh
    start_throwaway_postgres >/dev/null
  fi
  for n in $sizes; do
    # Each size on a database of its own: N orders over two years (730 days), not the smaller size's history stretched.
    keep=${FIELDLINE_BENCH_KEEP:-}; grown=
    if [ "$provider" = Postgres ]; then cs="$FIELDLINE_TEST_POSTGRES;Database=fieldline_reports_$n"
      [ -n "$keep" ] && [ -f "$keep/reports-pg-$n.grown" ] && grown=1
    elif [ -n "$keep" ]; then mkdir -p "$keep"; cs="Data Source=$keep/reports-$n.db"; [ -f "$keep/reports-$n.grown" ] && grown=1
    else cs="Data Source=$work/reports-$n.db"; fi
    if [ -z "$grown" ]; then
      [ "$provider" = Sqlite ] && [ -n "$keep" ] && rm -f "$keep/reports-$n.db"*
      start_app "$provider" "$cs"; stop_app # migrate and seed the demo company
      bench grow "$provider" "$cs" "$n" 730
      [ "$provider" = Sqlite ] && [ -n "$keep" ] && touch "$keep/reports-$n.grown"
      [ "$provider" = Postgres ] && [ -n "$keep" ] && touch "$keep/reports-pg-$n.grown"
    fi
    [ -n "${FIELDLINE_BENCH_GROW_ONLY:-}" ] && continue
    start_app "$provider" "$cs"
    sleep 5 # the scheduler builds the last periods' reports at start-up; let it finish before timing
    echo "## $provider, $n orders over two years, idle RSS $(rss)"
    peak_rss_while bench reports http://127.0.0.1:$port "$runs"
    stop_app
  done
done
