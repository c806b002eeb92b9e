#!/usr/bin/env bash
# The Stoker demo in one command, on a Debian machine with the .NET 10 SDK:
#   bash demo/run.sh                    the tour with a live display; Ctrl-C stops it and everything it started
#   bash demo/run.sh --non-interactive  the same tour unattended: exit 0, or non-zero with the reason
#   bash demo/run.sh --postgres         keep the silo's state in PostgreSQL (started from the machine's binaries)
# Other flags: --work-dir DIR (default .work/demo), --publish-dir DIR, --help. See docs/demo.md.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
bash deploy/publish.sh artifacts/publish
# exec: Ctrl-C and SIGTERM go straight to the demo, which stops every process it started.
exec dotnet artifacts/publish/demo/stoker-demo.dll --repo-root "$PWD" "$@"
