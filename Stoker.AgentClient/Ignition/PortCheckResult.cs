namespace Stoker.AgentClient.Ignition;

/// <summary>
/// The answer to the unauthenticated <c>GET /system/gwinfo</c>: up unless the gateway answered 503 or its
/// <c>ContextStatus</c> says it is not running yet. <see cref="ContextStatus"/> is Ignition's own word (<c>RUNNING</c>).
/// </summary>
public sealed record PortCheckResult(bool IsUp, int? StatusCode, string? ContextStatus, string? Error)
{
    public override string ToString() => IsUp ? $"up ({ContextStatus ?? $"HTTP {StatusCode}"})" : Error ?? "down";
}
