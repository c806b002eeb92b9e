namespace Stoker.Grains.Interfaces.Resources;

/// <summary>Annotation, label and finalizer keys under <c>stoker.io/</c> (docs/resource-reference.md).</summary>
public static class Annotations
{
    public const string Inject = "stoker.io/inject";
    public const string CrName = "stoker.io/cr-name";
    public const string Profile = "stoker.io/profile";
    public const string GatewayName = "stoker.io/gateway-name";
    public const string AgentImage = "stoker.io/agent-image";
    public const string Injected = "stoker.io/injected";
    public const string AgentLabel = "stoker.io/agent";
    public const string RequestedRef = "stoker.io/requested-ref";
    public const string RequestedAt = "stoker.io/requested-at";
    public const string RequestedBy = "stoker.io/requested-by";
    public const string WebhookSecret = "stoker.io/webhook-secret";
    public const string InjectionNamespaceLabel = "stoker.io/injection";
    public const string Finalizer = "stoker.io/finalizer";

    /// <summary>On a gateway pod: a git ref this gateway follows instead of the resource's <c>spec.git.ref</c>.</summary>
    public const string RefOverride = "stoker.io/ref-override";

    /// <summary>
    /// Set by the silo (never by users) on a resource it took from the Kubernetes API, with value <c>kubernetes</c>:
    /// its status is written back to the custom resource, and it is deleted when the custom resource is gone.
    /// </summary>
    public const string Source = "stoker.io/source";
}
