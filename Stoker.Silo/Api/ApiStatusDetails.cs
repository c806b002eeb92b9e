using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Silo.Api;

/// <summary>A Kubernetes <c>StatusDetails</c>.</summary>
public sealed record ApiStatusDetails
{
    public string? Name { get; init; }

    public string Group { get; init; } = GatewaySync.Group;

    public string Kind { get; init; } = GatewaySync.Plural;

    public string? Uid { get; init; }

    public IReadOnlyList<ApiStatusCause>? Causes { get; init; }
}
