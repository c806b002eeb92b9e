namespace Stoker.Grains.Gateways.Identity;

/// <summary>Why a registration was refused: the <c>reason</c> label of <c>stoker_agent_registrations_refused_total</c>.</summary>
public static class RegistrationRefusalReasons
{
    /// <summary>No token was presented where one is required.</summary>
    public const string NoToken = "no_token";

    /// <summary>The API server did not authenticate the token (unknown, expired, revoked, wrong audience, too large).</summary>
    public const string TokenRejected = "token_rejected";

    /// <summary>The token authenticated, but not as a pod's service account (no pod name and uid in it).</summary>
    public const string NotAPod = "not_a_pod";

    /// <summary>The token's pod no longer exists, or is another pod of the same name (uid differs).</summary>
    public const string PodGone = "pod_gone";

    /// <summary>The token's pod stands for another gateway (or namespace) than the one registering.</summary>
    public const string GatewayMismatch = "gateway_mismatch";

    /// <summary>The API server could not be asked in time: the agent should retry.</summary>
    public const string Unavailable = "unavailable";
}
