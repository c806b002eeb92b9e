namespace Stoker.Demo.Tour;

/// <summary>What the demo shows for one gateway, read from the GatewaySync status (immutable snapshot).</summary>
public sealed record GatewayRow
{
    public required string Name { get; init; }
    public required string Profile { get; init; }

    /// <summary><c>Pending</c>, <c>Synced</c>, <c>Error</c>, or the demo's own "starting" before the agent registers.</summary>
    public string Status { get; init; } = "starting";
    public string? Commit { get; init; }
    public int? FilesChanged { get; init; }
    public IReadOnlyList<string>? Projects { get; init; }
    public string? SyncDuration { get; init; }
    public string? Message { get; init; }

    /// <summary>From the agent's start (first sync) or the webhook (the change) to the status showing the commit.</summary>
    public TimeSpan? ReachedAfter { get; init; }
}
