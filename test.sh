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
  (cd src/Fieldline.Web/ClientApp && npm ci --no-audit --no-fund --loglevel=error >/dev/null && node vendor.mjs) \
    || echo "npm ci failed: testing with the committed vendor files"
fi

dotnet build Fieldline.slnx -c Release -nologo -clp:ErrorsOnly

echo "== migration gate"
for ctx in SqliteAppDbContext PostgresAppDbContext; do
  dotnet ef migrations has-pending-model-changes --project src/Fieldline.Web --context "$ctx" --configuration Release --no-build
done

# The HTTP contract: docs/openapi.json (kept equal to /openapi/v1.json by a test) against Redocly's recommended rules.
if command -v npm >/dev/null; then
  echo "== OpenAPI lint (redocly, recommended rules)"
  (cd tools/openapi && npm ci --no-audit --no-fund --loglevel=error >/dev/null && npx redocly lint ../../docs/openapi.json --config redocly.yaml --format=summary)
fi

echo "== throwaway PostgreSQL"
source scripts/postgres.sh
start_throwaway_postgres

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
