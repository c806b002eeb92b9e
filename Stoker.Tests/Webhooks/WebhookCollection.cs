namespace Stoker.Tests.Webhooks;

/// <summary>
/// The webhook tests share one silo and run one class at a time: the receiver's metric lives in prometheus-net's
/// process-wide default registry, so counter deltas are exact only when no other receiver test runs alongside.
/// </summary>
[CollectionDefinition(Name)]
public sealed class WebhookCollection : ICollectionFixture<WebhookFixture>
{
    public const string Name = "Webhooks";
}
