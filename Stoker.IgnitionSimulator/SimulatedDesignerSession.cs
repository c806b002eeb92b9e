namespace Stoker.IgnitionSimulator;

/// <summary>An open Designer the simulated gateway reports on <c>GET /data/api/v1/designers</c>.</summary>
public sealed record SimulatedDesignerSession(string User, string Project)
{
    public string Address { get; init; } = "127.0.0.1:52526";

    public string Timezone { get; init; } = "UTC";
}
