namespace Stoker.Demo.Plan;

/// <summary>
/// The TCP ports of one demo run. The defaults are the ports docker-compose.yml publishes, so the URLs in the docs
/// work for both; the native demo moves any that is taken to a free one and says so.
/// </summary>
public sealed record DemoPorts
{
    public static DemoPorts Defaults { get; } = new();

    public int SiloHttp { get; init; } = 8080;

    /// <summary>The silo's HTTPS port, kubectl's (docs/kubectl.md).</summary>
    public int SiloHttps { get; init; } = 8443;
    public int Silo { get; init; } = 11111;
    public int SiloGateway { get; init; } = 30000;
    public int Git { get; init; } = 8090;
    public int NorthGateway { get; init; } = 8088;
    public int SouthGateway { get; init; } = 8089;
    public int NorthHealth { get; init; } = 8082;
    public int NorthMetrics { get; init; } = 8083;
    public int SouthHealth { get; init; } = 8092;
    public int SouthMetrics { get; init; } = 8093;
    public int Postgres { get; init; } = 5433;

    /// <summary>Every port by name, for checks and messages.</summary>
    public IReadOnlyList<(string Name, int Port)> All =>
    [
        (nameof(SiloHttp), SiloHttp), (nameof(SiloHttps), SiloHttps), (nameof(Silo), Silo), (nameof(SiloGateway), SiloGateway), (nameof(Git), Git),
        (nameof(NorthGateway), NorthGateway), (nameof(SouthGateway), SouthGateway),
        (nameof(NorthHealth), NorthHealth), (nameof(NorthMetrics), NorthMetrics),
        (nameof(SouthHealth), SouthHealth), (nameof(SouthMetrics), SouthMetrics), (nameof(Postgres), Postgres),
    ];
}
