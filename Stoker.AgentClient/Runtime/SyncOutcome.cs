using Stoker.Grains.Interfaces.Messages;

namespace Stoker.AgentClient.Runtime;

/// <summary>
/// One sync's report plus what the agent's loop makes of it (docs/standalone-agent.md): whether the desired state now counts as
/// synced (a failed scan does: the files are in place, and retrying the same commit would not help), and whether the
/// failure backs off (only git and sync-engine failures do; a designer block or a profile error is retried on the
/// next trigger).
/// </summary>
public sealed record SyncOutcome(SyncReport Report, bool Recorded, bool BacksOff)
{
    public static SyncOutcome Done(SyncReport report) => new(report, Recorded: true, BacksOff: false);

    public static SyncOutcome Transient(SyncReport report) => new(report, Recorded: false, BacksOff: true);

    public static SyncOutcome RetryOnTrigger(SyncReport report) => new(report, Recorded: false, BacksOff: false);
}
