#!/usr/bin/env bash
# Runs every test: unit, integration on SQLite and on a real throwaway PostgreSQL server (started here on 127.0.0.1),
# and the migration gate (the model may not have changes without a migration for both providers).
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)

dotnet tool restore >/dev/null

# The technician app's vendored browser libraries (signature pad, barcode reader) from package-lock.json into
# wwwroot/m/vendor. The copies are committed as well, so a machine without npm still builds and tests.
if command -v npm >/dev/null; then
  echo "== technician app vendor files (npm ci)"
  (cd src/Fieldline.Web/ClientApp && npm ci --no-audit --no-fund --loglevel=error >/dev/null && node vendor.mjs)
fi
dotnet build Fieldline.slnx -c Release -nologo -clp:ErrorsOnly

echo "== migration gate"
for ctx in SqliteAppDbContext PostgresAppDbContext; do
  dotnet ef migrations has-pending-model-changes --project src/Fieldline.Web --context "$ctx" --configuration Release --no-build
done

echo "== throwaway PostgreSQL"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$PGBIN/initdb" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)"; exit 1; }
PGROOT=$(mktemp -d /tmp/fieldline-pg.XXXXXX)
PGPORT=${FIELDLINE_PG_PORT:-$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')}
as_pg() { if [ "$(id -u)" = 0 ]; then chown -R postgres: "$PGROOT"; runuser -u postgres -- "$@"; else "$@"; fi; }
as_pg "$PGBIN/initdb" -D "$PGROOT/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/log" -w -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGROOT -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null
cleanup() { as_pg "$PGBIN/pg_ctl" -D "$PGROOT/data" -m fast stop >/dev/null 2>&1 || true; rm -rf "$PGROOT"; }
trap cleanup EXIT
export FIELDLINE_TEST_POSTGRES="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Include Error Detail=true"
echo "PostgreSQL on 127.0.0.1:$PGPORT"

echo "== tests"
results="$root/TestResults"
rm -rf "$results"
status=0
dotnet test Fieldline.slnx -c Release --no-build --logger "trx" --results-directory "$results" --logger "console;verbosity=minimal" || status=$?

# One closing line for every runner that reads it: "N passed, N failed".
python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
p = f = s = 0
for trx in glob.glob(sys.argv[1] + "/**/*.trx", recursive=True):
    c = ET.parse(trx).getroot().find(".//{*}Counters")
    p += int(c.get("passed")); f += int(c.get("failed")) + int(c.get("error", 0)); s += int(c.get("notExecuted", 0))
print(f"{p} passed, {f} failed, {s} skipped")
PY
exit $status
