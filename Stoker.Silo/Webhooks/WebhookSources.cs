namespace Stoker.Silo.Webhooks;

/// <summary>The <c>source</c> metric label and <c>requested-by</c> values (docs/webhooks.md).</summary>
public static class WebhookSources
{
    public const string GitHub = "github";
    public const string ArgoCd = "argocd";
    public const string Kargo = "kargo";
    public const string Generic = "generic";

    /// <summary>The label for requests refused before their payload was understood (400 and 401).</summary>
    public const string Unknown = "unknown";
}
