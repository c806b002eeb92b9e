# syntax=docker/dockerfile:1
# ignition-simulator, the stand-in Ignition gateway (docs/ignition-simulator.md) that docker-compose uses for the
# second gateway. Build from the repository root:
#   docker build -f deploy/simulator.Dockerfile -t stoker/ignition-simulator:dev .

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN bash deploy/publish.sh /publish simulator

FROM mcr.microsoft.com/dotnet/aspnet:10.0
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*
# The gateway data folder, owned by the unprivileged user the agent image also runs as (uid 1654).
RUN install -d -o "$APP_UID" -g "$APP_UID" /ignition-data
WORKDIR /app
COPY --from=build /publish/simulator/ /app/
USER $APP_UID
EXPOSE 8088
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8088/system/gwinfo || exit 1
ENTRYPOINT ["dotnet", "/app/ignition-simulator.dll"]
CMD ["--urls", "http://0.0.0.0:8088", "--api-token-file", "/run/secrets/ignition-api-token", "--data-dir", "/ignition-data"]
