#!/usr/bin/env bash
# Regenerates EF Core's compiled models (src/Fieldline.Web/Infrastructure/Data/Compiled/{Sqlite,Postgres}) from the
# model in code. Run it after every model change, with the migrations: the app runs on the compiled model (building
# this model at start-up costs ~25 MB of idle memory, issue 14), and a test fails while the compiled model differs from
# the one in code (CompiledModelTests).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
dotnet build src/Fieldline.Web -c Release -nologo -clp:ErrorsOnly
for p in Sqlite Postgres; do
  out=src/Fieldline.Web/Infrastructure/Data/Compiled/$p
  rm -rf "$out"
  dotnet ef dbcontext optimize --project src/Fieldline.Web --configuration Release --no-build \
    --context "${p}AppDbContext" --output-dir "Infrastructure/Data/Compiled/$p" \
    --namespace "Fieldline.Web.Infrastructure.Data.Compiled.$p" >/dev/null
  echo "compiled model: $out ($(ls "$out" | wc -l) files)"
done
