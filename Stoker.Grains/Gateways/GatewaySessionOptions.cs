namespace Stoker.Grains.Gateways;

/// <summary>Agent session settings for Gateway grains.</summary>
public sealed class GatewaySessionOptions
{
    /// <summary>A subscription not renewed for this long has expired: its agent is no longer ready.</summary>
    public TimeSpan Expiry { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How agents should renew (the heartbeat): well inside <see cref="Expiry"/>.</summary>
    public TimeSpan RenewEvery => Expiry / 3;
}
