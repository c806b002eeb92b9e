# syntax=docker/dockerfile:1
# The demo's git server: demo/git-server.sh (lighttpd + git-http-backend), which creates the sample repository from
# demo/repo on first start. The native demo runs the same script. Build from the repository root:
#   docker build -f deploy/git-server.Dockerfile -t stoker/demo-git-server:dev .

FROM debian:12-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends git lighttpd curl ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 1654 --home-dir /srv/git --create-home git
COPY demo/git-server.sh /usr/local/bin/git-server.sh
COPY demo/repo/ /demo/repo/
USER git
EXPOSE 8090
HEALTHCHECK --interval=5s --timeout=3s --start-period=5s --retries=5 \
  CMD curl -fsS "http://127.0.0.1:8090/git/stoker-demo.git/info/refs?service=git-upload-pack" -o /dev/null || exit 1
ENTRYPOINT ["bash", "/usr/local/bin/git-server.sh"]
CMD ["--root", "/srv/git", "--content", "/demo/repo", "--port", "8090", "--bind", "0.0.0.0", "--work", "/tmp/git-server"]
