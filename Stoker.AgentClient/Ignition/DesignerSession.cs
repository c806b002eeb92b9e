namespace Stoker.AgentClient.Ignition;

/// <summary>An open Designer, as <c>GET /data/api/v1/designers</c> lists it (Ignition 8.3 field names).</summary>
public sealed record DesignerSession(string Id, string User, string Project, string? Address, string? Timezone, long Uptime)
{
    /// <summary><c>alice on P</c>: how reports and events name a session.</summary>
    public override string ToString() => $"{User} on {Project}";
}
