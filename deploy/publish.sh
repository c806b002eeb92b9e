#!/usr/bin/env bash
# Publishes Stoker's programs in Release into one folder each: <out>/silo, agent, simulator, cli, demo.
# The native demo runs these folders; the Dockerfiles run this script in their build stage, so the images
# carry the same output. Skips the work when nothing under the sources changed since the last publish.
#
# usage: deploy/publish.sh [OUT] [APP...]     (default OUT: artifacts/publish; default APPs: all five)
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:-artifacts/publish}
shift || true
apps=("$@")
[ ${#apps[@]} -gt 0 ] || apps=(silo agent simulator cli demo)
for app in "${apps[@]}"; do
  case "$app" in
    silo|agent|simulator|cli|demo) ;;
    *) echo "publish.sh: \"$app\": unknown program: use silo, agent, simulator, cli or demo" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"
out=$(cd "$out" && pwd)
list=$(IFS=','; echo "${apps[*]}")
stamp="$out/.published-$(echo "$list" | tr ',' '-')"

up_to_date() {
  [ -f "$stamp" ] || return 1
  for app in "${apps[@]}"; do [ -d "$out/$app" ] || return 1; done
  # Any source, project or build setting newer than the last publish means publish again.
  # (Test sources are not published.)
  [ -z "$(find Stoker.* Directory.Build.props Directory.Packages.props global.json BannedSymbols.txt \
        \( -name bin -o -name obj -o -path Stoker.Tests \) -prune -o -type f -newer "$stamp" -print -quit 2>/dev/null)" ]
}

if up_to_date; then
  echo "publish: $out is up to date (${apps[*]})"
  exit 0
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
echo "publish: dotnet publish -c Release (${apps[*]}) into $out"
touch "$stamp.new"
if ! STOKER_PUBLISH_APPS="$list" dotnet msbuild deploy/publish.proj -restore -t:Publish -m -nologo -v:quiet "-p:PublishRoot=$out"; then
  rm -f "$stamp.new"
  echo "publish: failed (the errors are above)" >&2
  exit 1
fi
mv "$stamp.new" "$stamp"
