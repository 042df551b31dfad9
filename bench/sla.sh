#!/usr/bin/env bash
# The SLA timer benchmark on SQLite and on a throwaway PostgreSQL (see docs/benchmarks.md).
#   bench/sla.sh [sizes] [due]      e.g. bench/sla.sh 10000,100000,1000000 1000
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=${1:-10000,100000,1000000}
due=${2:-1000}
dotnet build -c Release bench/Fieldline.Bench.Sla -nologo -clp:ErrorsOnly
dll=bench/Fieldline.Bench.Sla/bin/Release/net10.0/Fieldline.Bench.Sla.dll
dotnet "$dll" --provider=Sqlite --sizes="$sizes" --due="$due"
source scripts/postgres.sh
FIELDLINE_PG_OPTIONS="-c fsync=on -c synchronous_commit=on -c shared_buffers=256MB" start_throwaway_postgres
dotnet "$dll" --provider=Postgres --postgres="$FIELDLINE_TEST_POSTGRES" --sizes="$sizes" --due="$due"
