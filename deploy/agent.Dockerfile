# syntax=docker/dockerfile:1
# stoker-agent, the agent beside each Ignition gateway (stoker-agent run; settings from the environment, see
# docs/demo.md and `stoker-agent run --help`). Build from the repository root:
#   docker build -f deploy/agent.Dockerfile -t stoker/agent:dev .
# The build stage runs deploy/publish.sh, the same publish the native demo (demo/run.sh) runs.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN bash deploy/publish.sh /publish agent

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# git and openssh-client: ssh:// repositories go through the system ssh; curl for the health check.
RUN apt-get update \
 && apt-get install -y --no-install-recommends git openssh-client curl \
 && rm -rf /var/lib/apt/lists/*
# The work folder (clone, sync manifest). Beside a real Ignition the agent runs as the gateway's user so the files it
# writes belong to the gateway; any uid may therefore use this folder (sticky, like /tmp).
RUN install -d -m 1777 /var/lib/stoker-agent \
 && install -d -o "$APP_UID" -g "$APP_UID" /ignition-data
WORKDIR /app
COPY --from=build /publish/agent/ /app/
USER $APP_UID
ENV REPO_PATH=/var/lib/stoker-agent \
    DATA_PATH=/ignition-data \
    HEALTH_PORT=8082 \
    METRICS_PORT=8083
EXPOSE 8082 8083
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${HEALTH_PORT}/healthz" || exit 1
ENTRYPOINT ["dotnet", "/app/stoker-agent.dll"]
CMD ["run"]
