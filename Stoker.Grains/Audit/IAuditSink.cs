namespace Stoker.Grains.Audit;

/// <summary>
/// Where audit records go (docs/security.md, "Audit log"): every mutating request to the silo's HTTP API and every
/// git credential handed to an agent, at the Kubernetes audit "Metadata" level, never a request or response body.
/// Implementations must not throw and must not block for long: they are called on request paths and inside grain turns.
/// </summary>
public interface IAuditSink
{
    void Record(AuditRecord record);
}
