using Stoker.Grains.Interfaces.Messages;
using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Grains.GatewaySyncs;

/// <summary>The persisted state of a GatewaySync grain.</summary>
[GenerateSerializer]
public sealed class GatewaySyncState
{
    /// <summary>The resource as applied (metadata incl. annotations, spec); null when absent or deleted.</summary>
    [Id(0)] public GatewaySync? Resource { get; set; }
    [Id(1)] public GatewaySyncStatus Status { get; set; } = new();

    /// <summary>The webhook's requested ref (the original's <c>stoker.io/requested-ref</c> annotation).</summary>
    [Id(2)] public RefRequest? RequestedRef { get; set; }

    /// <summary>Consecutive transient failures per operation; each drives its own backoff (30 s doubling to 5 min).</summary>
    [Id(3)] public Dictionary<string, int> Failures { get; set; } = new(StringComparer.Ordinal);
    [Id(4)] public DateTimeOffset? NextRetryAt { get; set; }
    [Id(5)] public Dictionary<string, RosterEntry> Roster { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The last release's version; only grows, so releases (and desired states derived from them) are monotonic.</summary>
    [Id(6)] public long LastReleaseVersion { get; set; }
    [Id(7)] public string? LastError { get; set; }

    /// <summary>The period the poll reminder was registered with, so it is re-registered only when it changes.</summary>
    [Id(8)] public TimeSpan? PollReminderPeriod { get; set; }

    /// <summary>The effective ref and the commit it resolved to on the last successful resolution.</summary>
    [Id(9)] public string? ResolvedRef { get; set; }
    [Id(10)] public string? ResolvedCommit { get; set; }

    /// <summary>
    /// The epoch of <see cref="LastReleaseVersion"/>'s numbering, chosen with the first release and kept with
    /// it: a state lost (in-memory silo restarted) or deleted starts a new epoch, so agents can tell its version 1
    /// from the old run's version 1 (<see cref="Interfaces.Messages.DesiredState.Epoch"/>).
    /// </summary>
    [Id(11)] public string? Epoch { get; set; }

    /// <summary>The commit (or the failure) each distinct <c>stoker.io/ref-override</c> of the roster resolved to on the last resolution.</summary>
    [Id(12)] public Dictionary<string, RefOverrideResolution> RefOverrides { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The last release published: durable here, so that no Gateway grain stores its desired state, and a Gateway
    /// grain activated afresh gets it again (docs/architecture.md, "Where state lives").
    /// </summary>
    [Id(13)] public Release? Release { get; set; }

    /// <summary>A digest of <see cref="Release"/>'s content (all but its version): an equal one is not published again.</summary>
    [Id(14)] public string? ReleaseDigest { get; set; }

    /// <summary>The resource's <c>metadata.resourceVersion</c> (microseconds since the Unix epoch); 0 before the first view.</summary>
    [Id(15)] public long ResourceVersion { get; set; }
}
