namespace Stoker.Grains.Interfaces.Security;

/// <summary>
/// What an agent presents on every grain call (docs/security.md, "Agent credentials"): a token in the Orleans
/// <c>RequestContext</c> under <see cref="RequestContextKey"/>. In local mode it is a JWT the silo signed
/// (<see cref="Issuer"/>, <see cref="Audience"/>, subject the gateway key); in Kubernetes mode the pod's projected
/// service-account token.
/// </summary>
public static class AgentCredential
{
    public const string RequestContextKey = "stoker.agent-credential";

    public const string Issuer = "stoker";

    public const string Audience = "stoker-agent";

    /// <summary>Longer than any token either mode issues; a longer credential is refused unread.</summary>
    public const int MaxLength = 16 * 1024;
}
