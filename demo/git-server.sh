#!/usr/bin/env bash
# The demo's git server: creates the sample repository from demo/repo (once) and serves it over smart HTTP
# (lighttpd running git-http-backend as CGI; clone, fetch, ls-remote and push) at
#   http://<bind>:<port>/git/stoker-demo.git
# The native demo (demo/run.sh) and docker-compose's git-server service run this same script.
#
# usage: git-server.sh --root DIR --content DIR --port N [--bind ADDR] [--work DIR]
#   --root     folder holding the served repositories (created; stoker-demo.git is made there once)
#   --content  the files of the first commit (demo/repo)
#   --port     TCP port to listen on
#   --bind     address to listen on (default 127.0.0.1; 0.0.0.0 in a container)
#   --work     folder for lighttpd's configuration and logs (default <root>/.lighttpd)
set -euo pipefail

root="" content="" port="" bind="127.0.0.1" work=""
while [ $# -gt 0 ]; do
  case "$1" in
    --root) root="$2"; shift 2 ;;
    --content) content="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --bind) bind="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    *) echo "git-server.sh: $1: unknown option (see the usage at the top of this script)" >&2; exit 2 ;;
  esac
done
[ -n "$root" ] || { echo "git-server.sh: --root: required: the folder holding the served repositories" >&2; exit 2; }
[ -d "$content" ] || { echo "git-server.sh: --content: \"$content\": must be an existing folder (demo/repo)" >&2; exit 2; }
case "$port" in
  ''|*[!0-9]*) echo "git-server.sh: --port: \"$port\": must be a TCP port between 1 and 65535" >&2; exit 2 ;;
esac
if [ "$port" -lt 1 ] || [ "$port" -gt 65535 ]; then
  echo "git-server.sh: --port: \"$port\": must be a TCP port between 1 and 65535" >&2; exit 2
fi
backend=/usr/lib/git-core/git-http-backend
command -v lighttpd >/dev/null && [ -x "$backend" ] || { echo "git-server.sh: lighttpd and git are required: run scripts/install-deps.sh" >&2; exit 1; }

mkdir -p "$root"
root=$(cd "$root" && pwd)
content=$(cd "$content" && pwd)
work=${work:-$root/.lighttpd}
mkdir -p "$work/docroot" "$work/uploads"
work=$(cd "$work" && pwd)

repo="$root/stoker-demo.git"
if [ ! -d "$repo" ]; then
  # A fixed author and date make the first commit the same on every machine.
  seed=$(mktemp -d)
  trap 'rm -rf "$seed"' EXIT
  cp -R "$content/." "$seed/"
  export GIT_AUTHOR_NAME="Stoker demo" GIT_AUTHOR_EMAIL="demo@stoker.invalid" GIT_AUTHOR_DATE="2025-01-01T00:00:00Z"
  export GIT_COMMITTER_NAME="$GIT_AUTHOR_NAME" GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL" GIT_COMMITTER_DATE="$GIT_AUTHOR_DATE"
  git -C "$seed" init -q -b main
  git -C "$seed" add -A
  git -C "$seed" commit -q -m "Demo sites: North and South plants, shared system properties and API key"
  git init -q --bare -b main "$repo"
  git -C "$seed" push -q "$repo" main
  rm -rf "$seed"
  trap - EXIT
  echo "git-server.sh: created $repo at $(git -C "$repo" rev-parse --short HEAD)"
fi

conf="$work/lighttpd.conf"
cat > "$conf" <<EOF
server.modules = ("mod_alias", "mod_setenv", "mod_cgi")
server.bind = "$bind"
server.port = $port
server.document-root = "$work/docroot"
server.errorlog = "/dev/stderr"
server.upload-dirs = ("$work/uploads")
server.stream-response-body = 1
alias.url = ("/git" => "$backend")
\$HTTP["url"] =~ "^/git" {
  cgi.assign = ("" => "")
  setenv.set-environment = ("GIT_PROJECT_ROOT" => "$root", "GIT_HTTP_EXPORT_ALL" => "1",
    "GIT_CONFIG_NOSYSTEM" => "1", "GIT_CONFIG_GLOBAL" => "/dev/null", "GIT_CONFIG_COUNT" => "2",
    "GIT_CONFIG_KEY_0" => "http.receivepack", "GIT_CONFIG_VALUE_0" => "true",
    "GIT_CONFIG_KEY_1" => "safe.directory", "GIT_CONFIG_VALUE_1" => "*")
}
EOF
echo "git-server.sh: serving http://$bind:$port/git/stoker-demo.git"
exec lighttpd -D -f "$conf"
