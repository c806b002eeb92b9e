namespace Stoker.Grains.Gateways.Identity;

/// <summary>What an <see cref="IAgentRegistrationVerifier"/> decided; a refusal names its reason (a metric label) and says why.</summary>
public sealed record RegistrationVerdict
{
    public static readonly RegistrationVerdict Accepted = new() { IsAccepted = true };

    public bool IsAccepted { get; private init; }

    /// <summary>One of <see cref="RegistrationRefusalReasons"/>; empty when accepted.</summary>
    public string Reason { get; private init; } = "";

    /// <summary>The refusal as the agent receives it: names the gateway and what did not match, never the token.</summary>
    public string Message { get; private init; } = "";

    public static RegistrationVerdict Refused(string reason, string message) => new() { Reason = reason, Message = message };
}
