#!/usr/bin/env bash
# The project's test command: installs what the tests need, builds, runs the whole suite, and prints
# one line "N passed, N failed" (the line CI reads). Exit status is non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh || exit 1

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
log=$(mktemp)
trap 'rm -f "$log"' EXIT

dotnet build Stoker.sln -c Release -warnaserror 2>&1 | tail -n 30
build=${PIPESTATUS[0]}
if [ "$build" -ne 0 ]; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

dotnet test Stoker.sln -c Release --no-build --blame-hang-timeout 5m \
  --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log" | grep -E '^\s+(Failed|Skipped) |^(Passed|Failed)!|Error Message|error' | head -n 200
status=${PIPESTATUS[0]}

passed=0; failed=0; skipped=0
while read -r line; do
  p=$(sed -nE 's/.*Passed: *([0-9]+).*/\1/p' <<<"$line"); f=$(sed -nE 's/.*Failed: *([0-9]+),.*/\1/p' <<<"$line")
  s=$(sed -nE 's/.*Skipped: *([0-9]+).*/\1/p' <<<"$line")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${s:-0}))
done < <(grep -E '^(Passed|Failed)! ' "$log")

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
