#!/usr/bin/env bash
# Issue 14: where a create's CPU goes. Starts Fieldline (Release, demo data, SQLite) with perf maps for the JIT's code,
# warms it up, records the app's CPU with Linux `perf` (on-CPU samples with call stacks) while N clients create orders,
# and prints the share of each library and of the request's phases. docs/benchmarks.md ("Where a create's CPU goes").
#   bench/profile-create.sh [clients] [seconds]        # needs `perf` (Debian: linux-perf) and root or perf_event_paranoid <= 1
set -euo pipefail
cd "$(dirname "$0")/.."
clients=${1:-1}; seconds=${2:-10}
port=${FIELDLINE_BENCH_PORT:-5179}
work=$(mktemp -d /tmp/fieldline-profile.XXXXXX)
export FIELDLINE_PASSWORD=Bench-Password-1
dotnet build src/Fieldline.Web -c Release -nologo -clp:ErrorsOnly >/dev/null
dotnet build bench/Fieldline.Bench.Scale -c Release -nologo -clp:ErrorsOnly >/dev/null
bench() { dotnet bench/Fieldline.Bench.Scale/bin/Release/net10.0/Fieldline.Bench.Scale.dll "$@"; }
# Perf maps name the JIT's code; W^X off puts that code in anonymous memory, where perf looks the names up.
(cd src/Fieldline.Web && DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 exec dotnet bin/Release/net10.0/Fieldline.Web.dll \
  --urls=http://127.0.0.1:$port --Database:Provider=Sqlite "--ConnectionStrings:Sqlite=Data Source=$work/fieldline.db" \
  --Fieldline:DemoData=true --Fieldline:DemoPassword=$FIELDLINE_PASSWORD --Fieldline:Auth:LoginAttemptsPerMinute=1000000 \
  --Logging:LogLevel:Default=Warning >"$work/app.log" 2>&1) &
app=$!
trap 'kill $app 2>/dev/null || true; wait $app 2>/dev/null || true; rm -rf "$work" /tmp/perf-*.map' EXIT
for _ in $(seq 1 240); do curl -sf -o /dev/null http://127.0.0.1:$port/health && break; sleep 0.5; done
pid=$(pgrep -P "$app" -f Fieldline.Web.dll || echo "$app")
bench write http://127.0.0.1:$port 8 8 >/dev/null # warm-up: tier-1 code, pools, caches
perf record -F 1999 -g -p "$pid" -o "$work/perf.data" -- sleep $((seconds + 1)) >/dev/null 2>&1 &
recorder=$!
bench write http://127.0.0.1:$port "$clients" "$seconds"
wait $recorder
echo "# share of the app's CPU by library"
perf report -i "$work/perf.data" --no-children --sort dso --stdio -g none 2>/dev/null | grep -E '^ +[0-9]' | head -10
echo "# share of the app's CPU under each phase (inclusive; async continuations count under their own method)"
perf report -i "$work/perf.data" --children --sort sym --stdio -g none 2>/dev/null \
  | grep -E 'IdempotencyMiddleware\+<Run>|CreateWorkOrder\+<Handle>|AppDbContext\+<SaveChangesAsync>|AccountCheck\+<Current>|JwtBearerHandler\+<HandleAuthenticateAsync>|RelationalConnection\+<OpenAsync>|SingleOrDefaultAsync|SqlitePragmas\+|SqliteGroupCommit::Finish' \
  | awk '{ name = $0; sub(/.*\] /, "", name); printf "%s\t%s\n", $1, substr(name, 1, 110) }'
echo "# SQLite's own functions (statement compilation: sqlite3RunParser, yy_*, sqlite3WhereBegin, exprMightBeIndexed…)"
perf report -i "$work/perf.data" --no-children --dsos libe_sqlite3.so --sort sym --stdio -g none 2>/dev/null | grep -E '^ +[0-9]' | head -15
