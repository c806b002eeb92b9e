namespace Stoker.Grains.Audit;

/// <summary>The annotation keys and values of audit records, in one place (docs/security.md, "Audit log").</summary>
public static class AuditAnnotations
{
    /// <summary>A credential delivery's <c>spec.git.auth</c> kind: <c>none</c>, <c>token</c>, <c>ssh</c>, <c>githubApp</c>.</summary>
    public const string AuthType = "stoker.io/auth-type";

    /// <summary>The delivered material's fingerprint (8 bytes of its SHA-256): equal material, equal fingerprint.</summary>
    public const string Fingerprint = "stoker.io/fingerprint";

    /// <summary>What happened: <see cref="Given"/>, <see cref="Failed"/> or <see cref="Refused"/>.</summary>
    public const string Outcome = "stoker.io/outcome";

    /// <summary>Why no credentials were given (names the Secret or the failure, never its content).</summary>
    public const string Error = "stoker.io/error";

    /// <summary>The gateway whose agent asked (<c>namespace/gatewaysync/gateway</c>).</summary>
    public const string Gateway = "stoker.io/gateway";

    public const string Given = "given";

    public const string Failed = "failed";

    public const string Refused = "refused";

    /// <summary>The resource name credential deliveries are recorded under (the agent reads them, nothing stores them).</summary>
    public const string GitCredentialsResource = "gitcredentials";

    /// <summary>The user an agent's call is recorded as: <c>stoker:agent:{gateway key}</c> (its token is never recorded).</summary>
    public static string AgentUser(string gatewayKey) => "stoker:agent:" + gatewayKey;
}
