namespace Stoker.Silo.Security;

/// <summary>What a credential proved: the gateway it stands for (and until when), or why it proves nothing.</summary>
public sealed record AgentCredentialVerdict
{
    public bool IsAccepted { get; private init; }

    /// <summary>The gateway key (<c>ns/name/gw</c>) the credential stands for; null when it stands for none.</summary>
    public string? GatewayKey { get; private init; }

    /// <summary>The token's id (local mode's <c>jti</c>), checked against the revocations at every call.</summary>
    public string? TokenId { get; private init; }

    /// <summary>Who presented it, for messages: <c>token ID</c>, <c>pod NS/NAME</c>.</summary>
    public string Subject { get; private init; } = "";

    /// <summary>Trusted until then without verifying it again.</summary>
    public DateTimeOffset ValidUntil { get; private init; }

    /// <summary>One of <see cref="AgentCallRefusalReasons"/> (or a Kubernetes registration reason); empty when accepted.</summary>
    public string Reason { get; private init; } = "";

    /// <summary>Why, as the client reads it; never the token.</summary>
    public string Message { get; private init; } = "";

    public static AgentCredentialVerdict Accepted(string? gatewayKey, string? tokenId, DateTimeOffset validUntil, string subject) =>
        new() { IsAccepted = true, GatewayKey = gatewayKey, TokenId = tokenId, ValidUntil = validUntil, Subject = subject };

    public static AgentCredentialVerdict Refused(string reason, string message) => new() { Reason = reason, Message = message };
}
