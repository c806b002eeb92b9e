using Orleans.Concurrency;
using Stoker.Grains.Interfaces.Messages;
using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Grains.Interfaces.Grains;

/// <summary>One GatewaySync resource (key <c>{namespace}/{name}</c>): validation, ref resolution, fan-out, status.</summary>
public interface IGatewaySyncGrain : IGrainWithStringKey
{
    /// <summary>
    /// Stores the resource (spec with its <c>metadata.generation</c>) and schedules a reconcile without waiting for it.
    /// Returns it as stored, with the status of the last reconcile: its <c>observedGeneration</c> shows whether that
    /// status already reflects this generation. The reconciled status follows through <see cref="Get"/> and the status sink.
    /// </summary>
    Task<GatewaySync> Apply(GatewaySync resource);

    Task Delete();

    /// <summary>The resource as stored, with status; null when it does not exist. Answers even during a reconcile.</summary>
    [AlwaysInterleave]
    Task<GatewaySync?> Get();

    Task<RefRequestOutcome> RequestRef(RefRequest request);

    /// <summary>
    /// A webhook's ref request through the resource's rate limit, counted here so the limit holds across every silo
    /// of the cluster: within <paramref name="limit"/> it is taken as by <see cref="RequestRef"/>; over it, it is held
    /// if it is the newest (replacing an older held one) and taken when the window opens, and the answer says when.
    /// </summary>
    Task<WebhookRefDecision> SubmitWebhookRef(RefRequest request, WebhookRateLimit limit);

    /// <summary>Learns of a gateway from pod discovery, before or without its agent registering.</summary>
    Task ExpectGateway(ExpectedGateway gateway);

    Task ForgetGateway(string gatewayName);

    /// <summary>
    /// The Secret <paramref name="secretName"/> of the resource's namespace was created, changed or deleted: when the
    /// resource names it (git auth, known_hosts, GitHub App key, gateway API key) a reconcile runs at once instead of at
    /// the next poll or backoff retry. One-way: the Secret's watcher never waits on a grain busy with git.
    /// </summary>
    [OneWay]
    Task SecretChanged(string secretName);

    /// <summary>
    /// Pod discovery's complete view of this resource's gateways (after a full list): each is expected as by
    /// <see cref="ExpectGateway"/>, and every gateway discovered before that is not among them is forgotten.
    /// </summary>
    Task SetDiscoveredGateways(IReadOnlyList<ExpectedGateway> gateways);

    /// <summary>
    /// The current release, or null before the first one: read by a Gateway grain activated without one. Answers at
    /// once, even while a reconcile waits on git, so a registration never waits for the GatewaySync.
    /// </summary>
    [AlwaysInterleave]
    Task<Release?> GetRelease();

    /// <summary>A Gateway grain's summary for the status (a registration, a report, a session started or ended).</summary>
    [OneWay]
    Task GatewayChanged(GatewaySummary summary);
}
