#!/usr/bin/env bash
# Adds a migration for both providers: scripts/add-migration.sh <Name>
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: scripts/add-migration.sh <MigrationName>}
dotnet tool restore >/dev/null
for p in Sqlite Postgres; do
  dotnet ef migrations add "$name" --project src/Fieldline.Web --context ${p}AppDbContext \
    --output-dir Infrastructure/Data/Migrations/$p --namespace Fieldline.Web.Infrastructure.Data.Migrations.$p
  # A first migration's snapshot lands in a folder named after its namespace; keep it beside the migrations.
  stray=src/Fieldline.Web/Fieldline/Web/Infrastructure/Data/Migrations/$p/${p}AppDbContextModelSnapshot.cs
  if [ -f "$stray" ]; then mv "$stray" src/Fieldline.Web/Infrastructure/Data/Migrations/$p/; fi
done
rm -rf src/Fieldline.Web/Fieldline
# The app runs on the compiled models; they follow every model change.
"$(dirname "$0")/compile-models.sh"
