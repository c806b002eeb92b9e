#!/usr/bin/env bash
# Installs what Stoker's tests and demo need on a fresh Debian 12 machine that already has the .NET 10 SDK.
# Idempotent: only missing packages are installed, and apt is updated only when something is missing.
set -euo pipefail

missing=()
need() { # need <command-or-path> <debian-package>
  if ! command -v "$1" >/dev/null 2>&1 && [ ! -e "$1" ]; then missing+=("$2"); fi
}
need git git
need lighttpd lighttpd
need /usr/lib/git-core/git-http-backend git
need /usr/lib/postgresql/15/bin/initdb postgresql
need runuser util-linux
need rsync rsync
need /usr/sbin/sshd openssh-server   # tests of ssh:// remotes start a private sshd on a free port
need docker-compose docker-compose   # the tests validate docker-compose.yml with `docker-compose config` (no engine needed)
need setsid util-linux              # the demo starts each process in its own session
need /usr/bin/time time            # the benchmarks (and their smoke tests) read peak RSS from GNU time
need kubectl kubernetes-client     # the Kubernetes manifest tests build k8s/ with `kubectl kustomize` (no cluster needed)

if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=""
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
  echo "installing: ${missing[*]}" >&2
  $sudo_cmd apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# Debian's kubectl (kubernetes-client 1.20), unpacked beside the machine's own so that the kubectl tests run the
# client Debian ships whatever else is installed (dpkg would refuse it over another package's /usr/bin/kubectl).
tools="${STOKER_TOOLS:-$HOME/.cache/stoker-tools}"
if [ ! -x "$tools/kubernetes-client/usr/bin/kubectl" ]; then
  mkdir -p "$tools/download"
  (cd "$tools/download" && { apt-get download kubernetes-client >&2 2>/dev/null || { apt-get update -qq >&2 && apt-get download kubernetes-client >&2; }; })
  rm -rf "$tools/kubernetes-client"
  dpkg-deb -x "$tools"/download/kubernetes-client_*.deb "$tools/kubernetes-client"
  rm -rf "$tools/download"
fi

# Debian's prometheus package (prometheus and promtool), unpacked the same way: the monitoring tests start their own
# Prometheus on a free port. Installing the package would run its maintainer scripts, which add a system user and
# start a prometheus service (or fail to, in a container without an init system); unpacked, nothing runs.
if [ ! -x "$tools/prometheus/usr/bin/prometheus" ] || [ ! -x "$tools/prometheus/usr/bin/promtool" ]; then
  mkdir -p "$tools/download"
  (cd "$tools/download" && { apt-get download prometheus >&2 2>/dev/null || { apt-get update -qq >&2 && apt-get download prometheus >&2; }; })
  rm -rf "$tools/prometheus"
  dpkg-deb -x "$tools"/download/prometheus_*.deb "$tools/prometheus"
  rm -rf "$tools/download"
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "the .NET 10 SDK is required (dotnet not found on PATH)" >&2
  exit 1
fi
