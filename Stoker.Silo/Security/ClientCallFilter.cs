using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Stoker.Grains.Interfaces.Grains;
using Stoker.Grains.Interfaces.Security;
using Stoker.Silo.Webhooks;

namespace Stoker.Silo.Security;

/// <summary>
/// Orleans clients are agents, nothing more, and each only for its own gateway (docs/architecture.md, "Who may call
/// the control plane"; docs/security.md, "Agent credentials"). A call that comes from a client must be a method of
/// <see cref="IGatewayAgentGrain"/> on the grain whose key is the gateway the call's credential stands for: the
/// credential travels in the <c>RequestContext</c> (<see cref="AgentCredential.RequestContextKey"/>) and is verified by
/// the mode's <see cref="IAgentCredentialVerifier"/>, remembered by its SHA-256, and checked against the revoked token
/// ids at every call. Everything else is refused with <see cref="CallRefusedException"/>, logged once per client and
/// reason and counted in <c>stoker_agent_calls_refused_total{reason}</c>.
/// </summary>
/// <remarks>
/// Calls between grains and from the silos' own code (the HTTP API, the webhook receiver, the dashboard) pass: Orleans
/// sends those from a grain or from a silo's hosted client (<c>hosted-{silo address}</c>). The sender id is only what a
/// message claims (Orleans' gateway does not check it), so a hosted client's call must carry the
/// <see cref="SiloCallProof"/> only silos can make, and name this silo or a member of the cluster. Of Orleans' system targets a client may call only the one its runtime needs (the
/// cluster manifest). The credential is removed from the request context once checked, so it travels no further.
/// </remarks>
public sealed partial class ClientCallFilter(IServiceProvider services, ILogger<ClientCallFilter> logger) : IIncomingGrainCallFilter
{
    /// <summary>How Orleans names a silo's hosted client: <c>hosted-</c> and the silo's parsable address.</summary>
    private const string HostedClientPrefix = "hosted-";

    private static readonly byte[] HostedClientPrefixBytes = System.Text.Encoding.ASCII.GetBytes(HostedClientPrefix);

    /// <summary>
    /// The one system target a stock client's runtime calls on the silo it connects to (its type map). The silo's
    /// own hosted client also calls others (the in-memory membership table), which a remote client may not.
    /// </summary>
    private const string ClusterManifestSystemTarget = "Orleans.Runtime.IClusterManifestSystemTarget";

    /// <summary>Distinct client and reason pairs remembered so each is logged once; forgotten in bulk past this.</summary>
    private const int MaxLoggedRefusals = 10_000;

    private readonly ConcurrentDictionary<string, byte> _loggedRefusals = new(StringComparer.Ordinal);
    private IClusterMembershipService? _membership;
    private SiloCallProof? _proof;
    private string? _localAddress;
    private IAgentCredentialVerifier? _verifier;
    private AgentCredentialCache? _cache;
    private AgentTokenRevocationList? _revocations;
    private TimeSpan _cacheDuration;
    private bool _verifyCalls = true;
    private TimeProvider? _time;

    public Task Invoke(IIncomingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.SourceId is not { } source || !source.IsClient())
        {
            // A proof only ever belongs to the hosted client's call that carried it: never let one flow on.
            if (RequestContext.Get(SiloCallProof.RequestContextKey) is not null)
            {
                RequestContext.Remove(SiloCallProof.RequestContextKey);
            }

            return context.Invoke();
        }

        if (context.TargetId.IsClient())
        {
            // An object of this silo's own hosted client (an observer the silo's code created): no grain or system target
            // is reached, and a remote client's calls never run this silo's filters for it.
            return context.Invoke();
        }

        if (IsHostedClientId(source))
        {
            return InvokeHostedClientCall(context, source);
        }

        if (context.InterfaceMethod.DeclaringType != typeof(IGatewayAgentGrain))
        {
            return context.TargetId.IsSystemTarget() && context.InterfaceMethod.DeclaringType?.FullName == ClusterManifestSystemTarget
                ? context.Invoke()
                : throw Refuse(context, source, AgentCallRefusalReasons.NotAgentMethod,
                    $"Orleans clients may only call the agent interface {nameof(IGatewayAgentGrain)}");
        }

        return InvokeAgentCall(context, source);
    }

    /// <summary>Whether <paramref name="id"/> names a silo's hosted client (what a call claims; proven by <see cref="SiloCallProof"/>).</summary>
    public static bool IsHostedClientId(GrainId id) =>
        id.IsClient() && id.Key.AsSpan().StartsWith(HostedClientPrefixBytes);

    /// <summary>
    /// A call claiming a silo's hosted client as its sender passes only with the proof the silos' outgoing filter adds
    /// (the claim itself is the client's word), and only for this silo or a member of the cluster. The proof is removed
    /// once checked, so it does not flow into the grain's own calls.
    /// </summary>
    private Task InvokeHostedClientCall(IIncomingGrainCallContext context, GrainId source)
    {
        _proof ??= services.GetRequiredService<SiloCallProof>();
        var value = RequestContext.Get(SiloCallProof.RequestContextKey);
        if (value is not null)
        {
            RequestContext.Remove(SiloCallProof.RequestContextKey);
        }

        if (!_proof.Verify(value, context.TargetId))
        {
            throw Refuse(context, source, AgentCallRefusalReasons.ForgedSiloClient,
                value is null
                    ? "the call claims a silo's hosted client as its sender but carries no silo proof; Orleans clients are agents and need an agent credential"
                    : "the call claims a silo's hosted client as its sender but its silo proof is wrong");
        }

        return IsClusterSilo(source)
            ? context.Invoke()
            : throw Refuse(context, source, AgentCallRefusalReasons.ForgedSiloClient, "the call's hosted client names no silo of this cluster");
    }

    /// <summary>
    /// Synchronous while the credential is remembered (the common case: every call after an agent's first), so a
    /// checked call costs a hash, two lookups and a comparison, not an async state machine.
    /// </summary>
    private Task InvokeAgentCall(IIncomingGrainCallContext context, GrainId source)
    {
        EnsureServices();
        if (RequestContext.Get(AgentCredential.RequestContextKey) is not string credential)
        {
            credential = "";
        }
        else
        {
            // Checked here and nowhere else: it travels no further than this call.
            RequestContext.Remove(AgentCredential.RequestContextKey);
        }

        if (!_verifyCalls)
        {
            if (_loggedRefusals.TryAdd($"{source}\nunverified", 0))
            {
                LogUnverified(logger, source.ToString());
            }

            return context.Invoke();
        }

        if (credential.Length == 0)
        {
            return _verifier!.AllowsMissingCredential
                ? context.Invoke()
                : throw Refuse(context, source, AgentCallRefusalReasons.NoCredential,
                    $"the call carries no agent credential (RequestContext \"{AgentCredential.RequestContextKey}\"); an agent reads it from AGENT_TOKEN_FILE "
                    + "(local mode: a token from `stoker agent-token create`; Kubernetes: the pod's projected service-account token)");
        }

        if (credential.Length > AgentCredential.MaxLength)
        {
            throw Refuse(context, source, AgentCallRefusalReasons.InvalidCredential,
                $"the agent credential is {credential.Length} characters long, more than {AgentCredential.MaxLength}");
        }

        var hash = CredentialHash.Of(credential);
        return _cache!.Get(hash) is { } known ? Authorized(context, source, known) : VerifyThenInvokeAsync(context, source, credential, hash);
    }

    private async Task VerifyThenInvokeAsync(IIncomingGrainCallContext context, GrainId source, string credential, CredentialHash hash)
    {
        var verdict = await _verifier!.VerifyAsync(credential, CancellationToken.None);
        if (verdict.IsAccepted)
        {
            var until = _time!.GetUtcNow() + _cacheDuration;
            _cache!.Add(hash, verdict.ValidUntil <= until ? verdict : AgentCredentialVerdict.Accepted(verdict.GatewayKey, verdict.TokenId, until, verdict.Subject));
        }

        await Authorized(context, source, verdict);
    }

    /// <summary>Invokes the call when <paramref name="verdict"/> accepts it for the grain called; throws the refusal otherwise.</summary>
    private Task Authorized(IIncomingGrainCallContext context, GrainId source, AgentCredentialVerdict verdict)
    {
        if (!verdict.IsAccepted)
        {
            throw Refuse(context, source, verdict.Reason, verdict.Message);
        }

        if (verdict.TokenId is { } id && _revocations?.Contains(id) == true)
        {
            throw Refuse(context, source, AgentCallRefusalReasons.Revoked, $"the agent token {id} for gateway {verdict.GatewayKey} was revoked");
        }

        var target = context.TargetId.Key.ToString();
        return string.Equals(verdict.GatewayKey, target, StringComparison.Ordinal)
            ? context.Invoke()
            : throw Refuse(context, source, AgentCallRefusalReasons.WrongGateway,
                $"the agent credential ({verdict.Subject}) stands for gateway {verdict.GatewayKey ?? "(none: the pod names no GatewaySync)"}, not {UntrustedText.Sanitize(target)}");
    }

    private CallRefusedException Refuse(IIncomingGrainCallContext context, GrainId source, string reason, string message)
    {
        AgentCallMetrics.RefusedTotal.WithLabels(reason).Inc();
        var method = $"{context.InterfaceMethod.DeclaringType?.Name}.{context.InterfaceMethod.Name}";
        var target = UntrustedText.Sanitize(context.TargetId.ToString());
        if (_loggedRefusals.Count >= MaxLoggedRefusals)
        {
            _loggedRefusals.Clear();
        }

        if (_loggedRefusals.TryAdd($"{source}\n{reason}", 0))
        {
            LogRefused(logger, method, target, source.ToString(), reason, message);
        }

        return new CallRefusedException($"call to {method} on {target} refused ({reason}): {message}");
    }

    private void EnsureServices()
    {
        // Resolved on first use: the filter is built with the runtime, before the hosted services exist.
        if (Volatile.Read(ref _verifier) is not null)
        {
            return;
        }

        lock (_loggedRefusals)
        {
            if (_verifier is not null)
            {
                return;
            }

            var options = services.GetRequiredService<IOptions<AgentCredentialOptions>>().Value;
            _time = services.GetRequiredService<TimeProvider>();
            _cacheDuration = options.CacheDuration;
            _verifyCalls = options.VerifyAgentCalls;
            _cache = new AgentCredentialCache(_time, options.CacheSize);
            _revocations = services.GetService<AgentTokenRevocationList>();
            Volatile.Write(ref _verifier, services.GetRequiredService<IAgentCredentialVerifier>());
        }
    }

    private bool IsClusterSilo(GrainId source)
    {
        var key = source.Key.ToString();

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Orleans client {Client} calls the agent interface unverified: Stoker:Security:VerifyAgentCalls is off, so any client may act for any gateway")]
    private static partial void LogUnverified(ILogger logger, string client);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} on {Target} from Orleans client {Client} refused ({Reason}): {Message}")]
    private static partial void LogRefused(ILogger logger, string method, string target, string client, string reason, string message);
}
