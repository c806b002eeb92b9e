namespace Stoker.Grains.Interfaces.Resources;

/// <summary>Values of <c>discoveredGateways[].syncStatus</c>.</summary>
public static class GatewaySyncStatusValue
{
    public const string Pending = "Pending";
    public const string Synced = "Synced";
    public const string Error = "Error";
    public const string MissingSidecar = "MissingSidecar";

    public static IReadOnlyList<string> All { get; } = [Pending, Synced, Error, MissingSidecar];
}
