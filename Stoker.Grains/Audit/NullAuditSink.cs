namespace Stoker.Grains.Audit;

/// <summary>No audit log: hosts that do not compose one (tests, Kubernetes mode without <c>Stoker:Audit:Path</c>).</summary>
public sealed class NullAuditSink : IAuditSink
{
    public static NullAuditSink Instance { get; } = new();

    public void Record(AuditRecord record)
    {
    }
}
