namespace Stoker.AgentClient.Runtime;

/// <summary>What the probes report (docs/standalone-agent.md): started after the initial sync, not ready once shutdown began.</summary>
public sealed class AgentHealth
{
    private volatile bool _started;
    private volatile bool _stopping;

    public bool Started => _started;

    public bool Stopping => _stopping;

    public void MarkStarted() => _started = true;

    public void MarkStopping() => _stopping = true;
}
