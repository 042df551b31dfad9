#!/usr/bin/env bash
# Fieldline and OR-Tools side by side on freshly generated instances of the six Solomon kinds (see docs/benchmarks.md).
#   bench/fresh.sh [seeds] [seconds] [extra bench options]    e.g. bench/fresh.sh 1001,1002 10 --csv /tmp/fresh.csv
# The instances are written to a temporary directory by `fieldline generate`, so anyone can regenerate them.
set -euo pipefail
cd "$(dirname "$0")/.."
seeds=${1:-1001,1002}
seconds=${2:-10}
shift $(( $# < 2 ? $# : 2 ))
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
dotnet build -c Release src/Fieldline.Cli -nologo -clp:ErrorsOnly
dotnet build -c Release bench/Fieldline.Bench.Routing -nologo -clp:ErrorsOnly
cli=src/Fieldline.Cli/bin/Release/net10.0/Fieldline.Cli.dll
for kind in C1 C2 R1 R2 RC1 RC2; do
  for seed in ${seeds//,/ }; do
    dotnet "$cli" generate "$kind" --seed "$seed" > "$dir/$kind-fresh-$seed.txt"
  done
done
dotnet run -c Release --no-build --project bench/Fieldline.Bench.Routing -- \
  --data "$dir" --seconds "$seconds" --day false "$@"
