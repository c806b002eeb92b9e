using Orleans.Concurrency;
using Stoker.Grains.Interfaces.Messages;
using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Grains.Interfaces.Grains;

/// <summary>One GatewaySync resource (key <c>{namespace}/{name}</c>): validation, ref resolution, fan-out, status.</summary>
public interface IGatewaySyncGrain : IGrainWithStringKey
{
    /// <summary>Applies the resource (spec with its <c>metadata.generation</c>). Returns it as stored, with status.</summary>
    Task<GatewaySync> Apply(GatewaySync resource);

    Task Delete();

    /// <summary>The resource as stored, with status; null when it does not exist. Answers even during a reconcile.</summary>
    [AlwaysInterleave]
    Task<GatewaySync?> Get();

    Task<RefRequestOutcome> RequestRef(RefRequest request);

    /// <summary>Learns of a gateway from pod discovery, before or without its agent registering.</summary>
    Task ExpectGateway(ExpectedGateway gateway);

    Task ForgetGateway(string gatewayName);

    /// <summary>
    /// Pod discovery's complete view of this resource's gateways (after a full list): each is expected as by
    /// <see cref="ExpectGateway"/>, and every gateway discovered before that is not among them is forgotten.
    /// </summary>
    Task SetDiscoveredGateways(IReadOnlyList<ExpectedGateway> gateways);

    /// <summary>Called by a Gateway grain when an agent registers: returns that gateway's desired state.</summary>
    Task<DesiredState?> GatewayRegistered(string gatewayName, AgentRegistration registration);

    /// <summary>Called by a Gateway grain with each report, for aggregation.</summary>
    [OneWay]
    Task GatewayReported(string gatewayName, SyncReport report);

    /// <summary>Called by a Gateway grain when its agent's session starts or expires.</summary>
    [OneWay]
    Task GatewaySessionChanged(string gatewayName, bool connected);
}
