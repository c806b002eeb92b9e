# syntax=docker/dockerfile:1
# stoker-silo, the control plane (apply API, webhook receiver, /metrics, /dashboard), with the stoker CLI beside it
# (docker-compose's one-shot apply service runs it). Build from the repository root:
#   docker build -f deploy/silo.Dockerfile -t stoker/silo:dev .
# The build stage runs deploy/publish.sh, the same publish the native demo (demo/run.sh) runs.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN bash deploy/publish.sh /publish silo cli

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# curl for the health check; openssh-client for ssh:// repositories (ref resolution runs the system ssh).
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl openssh-client \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /publish/silo/ /app/
COPY --from=build /publish/cli/ /app/cli/
# The state folder (Stoker__Silo__StatePath in docker-compose.yml), the silo user's: the CA and certificate it creates
# on first start go to tls/, a volume the agents mount read-only; the folder stays listable so they can read ca.crt.
RUN mkdir -p /var/lib/stoker/tls && chown -R $APP_UID /var/lib/stoker && chmod 0755 /var/lib/stoker/tls
# docker-compose mounts each agent's token volume here to mint into it as the agent's user (mode 1777 carries over).
RUN mkdir -m 1777 /run/stoker-agent-token
# The .NET images' unprivileged user (uid 1654).
USER $APP_UID
# HTTP (apply API, webhooks, metrics, dashboard), silo-to-silo, and the gateway port agents connect to.
EXPOSE 8080 11111 30000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["dotnet", "/app/stoker-silo.dll"]
CMD ["--urls", "http://0.0.0.0:8080"]
