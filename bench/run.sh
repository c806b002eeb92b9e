#!/usr/bin/env bash
# The benchmarks' one command: installs what they need, builds in Release, runs every benchmark (ours and its
# baseline in the same run) and writes BENCHMARKS.md at the repository root.
#
# usage: bash bench/run.sh                       every benchmark at the issue's sizes
#        bash bench/run.sh <name> [--size S] …   one benchmark (propagation, sync, git, capacity); --help lists options
#        bash bench/run.sh all --smoke           small sizes, one repetition (what the test suite runs)
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build bench/Stoker.Bench/Stoker.Bench.csproj -c Release -warnaserror -nologo -v:quiet 2>&1 | tail -n 20
build=${PIPESTATUS[0]}
[ "$build" -eq 0 ] || { echo "bench: build failed" >&2; exit 1; }

[ $# -gt 0 ] || set -- all
exec dotnet bench/Stoker.Bench/bin/Release/net10.0/stoker-bench.dll "$@"
