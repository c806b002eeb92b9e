namespace Stoker.Cli.Commands;

/// <summary>The names kubectl accepts for the GatewaySync resource type.</summary>
public static class ResourceTypes
{
    public const string Qualified = "gatewaysync.stoker.io";

    private static readonly HashSet<string> GatewaySyncNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "gs", "gatewaysync", "gatewaysyncs", "gatewaysync.stoker.io", "gatewaysyncs.stoker.io",
    };

    public static bool IsGatewaySync(string? type) => type is not null && GatewaySyncNames.Contains(type);

    public static string Unknown(string? type) =>
        $"error: unknown resource type \"{type}\": this server has one, gatewaysyncs (short name gs)";
}
