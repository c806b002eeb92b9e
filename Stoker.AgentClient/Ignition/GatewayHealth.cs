namespace Stoker.AgentClient.Ignition;

/// <summary>
/// The answer to <c>GET /data/api/v1/gateway-info</c>: healthy on any 2xx. <see cref="Error"/> is what the report shows
/// (<c>gateway returned HTTP 503</c>, <c>gateway health check: Connection refused (localhost:8088)</c>).
/// </summary>
public sealed record GatewayHealth(bool IsHealthy, int? StatusCode, string? Error, GatewayInfo? Info)
{
    public override string ToString() => IsHealthy ? "healthy" : Error ?? "unhealthy";
}
