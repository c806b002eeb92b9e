namespace Stoker.Silo.Security;

/// <summary>
/// Why the silo refused a client's call: the <c>reason</c> label of <c>stoker_agent_calls_refused_total</c>. Kubernetes
/// mode adds the TokenReview's own reasons (<see cref="Grains.Gateways.Identity.RegistrationRefusalReasons"/>).
/// </summary>
public static class AgentCallRefusalReasons
{
    /// <summary>The method is not one of the agent interface's (another grain interface, a system target).</summary>
    public const string NotAgentMethod = "not_agent_method";

    /// <summary>The call carried no credential.</summary>
    public const string NoCredential = "no_credential";

    /// <summary>Not a token this cluster signed: malformed, bad signature, another issuer or audience, too long.</summary>
    public const string InvalidCredential = "invalid_credential";

    public const string Expired = "expired";

    public const string Revoked = "revoked";

    /// <summary>
    /// The call claims a silo's hosted client as its sender without the silos' proof (or with a wrong one, or naming no
    /// silo of the cluster): a client forging the id Orleans gives a silo's own code.
    /// </summary>
    public const string ForgedSiloClient = "forged_silo_client";

    /// <summary>A valid credential, for another gateway than the grain called.</summary>
    public const string WrongGateway = "wrong_gateway";
}
