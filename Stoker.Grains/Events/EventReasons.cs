namespace Stoker.Grains.Events;

/// <summary>
/// The reasons of the Kubernetes Events Stoker records on a GatewaySync (docs/kubernetes.md, "Events"), the original
/// operator's names. <c>RBACError</c> has no counterpart: Stoker creates no RoleBindings.
/// </summary>
public static class EventReasons
{
    public const string Paused = "Paused";
    public const string ProfilesInvalid = "ProfilesInvalid";
    public const string RefResolutionFailed = "RefResolutionFailed";
    public const string GitHubAppExchangeFailed = "GitHubAppExchangeFailed";
    public const string GatewaysDiscovered = "GatewaysDiscovered";
    public const string MissingSidecar = "MissingSidecar";

    /// <summary>The webhook receiver passed a requested ref on to the GatewaySync.</summary>
    public const string WebhookReceived = "WebhookReceived";
}
