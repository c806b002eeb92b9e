namespace Stoker.Silo.Security;

/// <summary>A freshly minted agent token: the only moment the token itself exists on the silo.</summary>
public sealed record MintedAgentToken(string Id, string Token, string Gateway, DateTimeOffset ExpiresAt);
