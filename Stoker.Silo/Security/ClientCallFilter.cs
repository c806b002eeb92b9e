using Stoker.Grains.Interfaces.Grains;

namespace Stoker.Silo.Security;

/// <summary>
/// Orleans clients are agents, nothing more (docs/architecture.md, "Who may call the control plane"): a call that
/// comes from a client may only be a method of <see cref="IGatewayAgentGrain"/>, where the Gateway grain then checks
/// the caller's session. Everything else (reading or applying resources, pushing desired states, snapshots) is refused. Calls
/// between grains and from the silos' own code (the HTTP API, the webhook receiver, the dashboard) pass: Orleans
/// sends those from a grain or from a silo's hosted client (<c>hosted-{silo address}</c>), which is checked
/// against this silo and the cluster's membership. Of Orleans' system targets a client may call only the one its
/// runtime needs (the cluster manifest); the in-memory membership table, silo control and the like are refused.
/// </summary>
/// <remarks>
/// The sender id is what the client's messages say, and the gateway does not check it against the connection: a
/// client built to forge it (rather than the stock Orleans client) gets past this filter. Only authenticating
/// clients closes that (TLS with client certificates and per-agent credentials, a later issue).
/// </remarks>
public sealed partial class ClientCallFilter(IServiceProvider services, ILogger<ClientCallFilter> logger) : IIncomingGrainCallFilter
{
    /// <summary>How Orleans names a silo's hosted client: <c>hosted-</c> and the silo's parsable address.</summary>
    private const string HostedClientPrefix = "hosted-";

    /// <summary>
    /// The one system target a stock client's runtime calls on the silo it connects to (its type map). The silo's
    /// own hosted client also calls others (the in-memory membership table), which a remote client may not.
    /// </summary>
    private const string ClusterManifestSystemTarget = "Orleans.Runtime.IClusterManifestSystemTarget";

    private IClusterMembershipService? _membership;
    private string? _localAddress;

    public Task Invoke(IIncomingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.SourceId is not { } source || !source.IsClient() || Allowed(context, source))
        {
            return context.Invoke();
        }

        var method = $"{context.InterfaceMethod.DeclaringType?.Name}.{context.InterfaceMethod.Name}";
        LogRefused(logger, method, context.TargetId.ToString(), source.ToString());
        throw new CallRefusedException($"call to {method} refused: Orleans clients may only call the agent interface {nameof(IGatewayAgentGrain)}");
    }

    private bool Allowed(IIncomingGrainCallContext context, GrainId source) =>
        context.InterfaceMethod.DeclaringType == typeof(IGatewayAgentGrain)
        || (context.TargetId.IsSystemTarget() && context.InterfaceMethod.DeclaringType?.FullName == ClusterManifestSystemTarget)
        || IsSiloHostedClient(source);

    private bool IsSiloHostedClient(GrainId source)
    {
        var key = source.Key.ToString();
        if (!key.StartsWith(HostedClientPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        // Resolved on first use: the filter is built with the runtime, before membership exists. This silo's own
        // hosted client calls (the in-memory membership table) before this silo is in the membership.
        _localAddress ??= services.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToParsableString();
        var address = key[HostedClientPrefix.Length..];
        if (string.Equals(address, _localAddress, StringComparison.Ordinal))
        {
            return true;
        }

        _membership ??= services.GetRequiredService<IClusterMembershipService>();
        return _membership.CurrentSnapshot.Members.Keys.Any(silo => string.Equals(silo.ToParsableString(), address, StringComparison.Ordinal));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Method} on {Target} from Orleans client {Client}: clients may only call the agent interface")]
    private static partial void LogRefused(ILogger logger, string method, string target, string client);
}
