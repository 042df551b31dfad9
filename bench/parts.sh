#!/usr/bin/env bash
# Issue 18: the parts reads at size. Grows a demo database with bench parts, vans and stock lines, then times the reads
# through the running app. Prints tab-separated figures; docs/benchmarks.md ("Parts") records a run and how to read it.
# The size is the arguments (the issue's full size by default; the lead runs that one):
#   bench/parts.sh [parts] [vans] [lines] [providers] [runs]     defaults: 10000 200 1000000 "Sqlite Postgres" 15
#   bench/parts.sh full [providers] [runs]                       the same as the defaults: 10,000 parts, 200 vans, 1,000,000 lines
#   bench/parts.sh quick                                         200 5 3000 Sqlite 3: a quick check that it works
#   bench/parts.sh 200 5 3000 Sqlite 3                           the same quick check, spelled out
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  full) set -- 10000 200 1000000 "${2:-Sqlite Postgres}" "${3:-15}" ;;
  quick) set -- 200 5 3000 Sqlite 3 ;;
esac
parts=${1:-10000}; vans=${2:-200}; lines=${3:-1000000}; providers=${4:-"Sqlite Postgres"}; runs=${5:-15}
for n in "$parts" "$vans" "$lines" "$runs"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "usage: bench/parts.sh [parts vans lines [providers [runs]]] | full [providers [runs]] | quick  ($n is not a count)"; exit 2; }
done
work=$(mktemp -d /tmp/fieldline-parts.XXXXXX)
port=5178
export FIELDLINE_PASSWORD=Bench-Password-1
dotnet build src/Fieldline.Web -c Release -nologo -clp:ErrorsOnly >/dev/null
dotnet build bench/Fieldline.Bench.Parts -c Release -nologo -clp:ErrorsOnly >/dev/null
bench() { dotnet bench/Fieldline.Bench.Parts/bin/Release/net10.0/Fieldline.Bench.Parts.dll "$@"; }

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
trap 'stop_app; rm -rf "$work"' EXIT

echo "# $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1 /proc/loadavg), $(date -u +%FT%TZ)"
for provider in $providers; do
  if [ "$provider" = Postgres ]; then
    source scripts/postgres.sh
    start_throwaway_postgres >/dev/null
    cs="$FIELDLINE_TEST_POSTGRES;Database=fieldline_parts"
  else
    cs="Data Source=$work/parts.db"
  fi
  start_app "$provider" "$cs"; stop_app # migrate and seed the demo company
  echo "## $provider: $parts parts, $vans vans, $lines stock lines"
  bench grow "$provider" "$cs" "$parts" "$vans" "$lines"
  start_app "$provider" "$cs"
  bench reads http://127.0.0.1:$port "$runs"
  stop_app
done
