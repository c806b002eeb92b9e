using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stoker.Grains.Gateways.Identity;
using Stoker.Grains.Interfaces.Messages;
using Stoker.Silo.Webhooks;

namespace Stoker.Silo.Kubernetes.Identity;

/// <summary>
/// Kubernetes mode's identity check (docs/kubernetes.md, "Agent identity"): the agent's projected service-account
/// token goes to the API server in a TokenReview for audience <see cref="AgentIdentityOptions.Audience"/>; it must
/// authenticate as a pod's service account, the pod must still exist with the token's uid, and the gateway that pod
/// stands for (<see cref="PodGateway.GatewayKey"/>) must be the one registering. Verified tokens are remembered by
/// hash until they expire (at most <see cref="AgentIdentityOptions.CacheDuration"/>).
/// </summary>
public sealed partial class TokenReviewRegistrationVerifier : IAgentRegistrationVerifier
{
    private const string ServiceAccountPrefix = "system:serviceaccount:";
    private const string PodNameExtra = "authentication.kubernetes.io/pod-name";
    private const string PodUidExtra = "authentication.kubernetes.io/pod-uid";

    /// <summary>Distinct refusals remembered so each is logged once, not at every retry; forgotten in bulk past this.</summary>
    private const int MaxLoggedRefusals = 10_000;

    private readonly IKubernetes _client;
    private readonly AgentIdentityOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<TokenReviewRegistrationVerifier> _logger;
    private readonly VerifiedIdentityCache _cache;
    private readonly ConcurrentDictionary<string, byte> _loggedRefusals = new(StringComparer.Ordinal);

    public TokenReviewRegistrationVerifier(IKubernetes client, IOptions<AgentIdentityOptions> options, TimeProvider time, ILogger<TokenReviewRegistrationVerifier> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _client = client;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _cache = new VerifiedIdentityCache(time, _options.CacheSize);
    }

    public async Task<RegistrationVerdict> VerifyAsync(string gatewayKey, AgentRegistration registration, AgentIdentityToken? token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        var verdict = await DecideAsync(gatewayKey, registration, token, cancellationToken);
        if (!verdict.IsAccepted)
        {
            AgentIdentityMetrics.RefusedTotal.WithLabels(verdict.Reason).Inc();
            var client = $"{gatewayKey}\n{registration.AgentId}\n{verdict.Reason}";
            if (_loggedRefusals.Count >= MaxLoggedRefusals)
            {
                _loggedRefusals.Clear();
            }

            if (_loggedRefusals.TryAdd(client, 0))
            {
                LogRefused(_logger, UntrustedText.Sanitize(gatewayKey), UntrustedText.Sanitize(registration.AgentId), verdict.Reason, UntrustedText.Sanitize(verdict.Message));
            }
        }

        return verdict;
    }

    private async Task<RegistrationVerdict> DecideAsync(string gatewayKey, AgentRegistration registration, AgentIdentityToken? token, CancellationToken cancellationToken)
    {
        var refused = $"registration for gateway {gatewayKey} refused";
        if (token is null || string.IsNullOrWhiteSpace(token.Value))
        {
            return _options.AllowRegistrationsWithoutToken
                ? RegistrationVerdict.Accepted
                : RegistrationVerdict.Refused(RegistrationRefusalReasons.NoToken,
                    $"{refused}: no identity token was presented; in Kubernetes mode an agent presents its pod's projected service-account "
                    + $"token (audience \"{_options.Audience}\", the file AGENT_TOKEN_FILE names)");
        }

        var (identity, _, refusal) = await IdentifyAsync(token.Value, refused, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        if (!string.Equals(identity!.GatewayKey, gatewayKey, StringComparison.Ordinal))
        {
            var stands = identity.GatewayKey is { } other
                ? $"which stands for gateway {other}"
                : "which names no GatewaySync (annotation stoker.io/cr-name)";
            return RegistrationVerdict.Refused(RegistrationRefusalReasons.GatewayMismatch,
                $"{refused}: the identity token is pod {identity.Pod}'s, {stands}, not gateway {gatewayKey}");
        }

        if ((registration.PodNamespace is { Length: > 0 } ns && ns != identity.Namespace)
            || (registration.PodName.Length > 0 && registration.PodName != identity.PodName))
        {
            return RegistrationVerdict.Refused(RegistrationRefusalReasons.GatewayMismatch,
                $"{refused}: the registration names pod {registration.PodNamespace}/{registration.PodName}, but the identity token is pod {identity.Pod}'s");
        }

        return RegistrationVerdict.Accepted;
    }

    /// <summary>
    /// Who <paramref name="token"/> stands for, from the cache or a TokenReview and a pod read, and until when that may
    /// be trusted without asking again; or the refusal (messages start with <paramref name="refused"/>). Shared by the
    /// registration check and the silo's per-call check (<see cref="TokenReviewCredentialVerifier"/>).
    /// </summary>
    public async Task<(VerifiedIdentity? Identity, DateTimeOffset Until, RegistrationVerdict? Refusal)> IdentifyAsync(string token, string refused, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (token.Length > AgentIdentityToken.MaxLength)
        {
            return (null, default, RegistrationVerdict.Refused(RegistrationRefusalReasons.TokenRejected,
                $"{refused}: the identity token is {token.Length} characters long, more than {AgentIdentityToken.MaxLength}"));
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        var identity = _cache.Get(hash);
        if (identity is null)
        {
            RegistrationVerdict? refusal;
            using var timeout = new CancellationTokenSource(_options.ReviewTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                (identity, refusal) = await ReviewAsync(refused, token, linked.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                AgentIdentityMetrics.TokenReviewsTotal.WithLabels("error").Inc();
                return (null, default, Unavailable(refused, $"the Kubernetes API server did not answer within {_options.ReviewTimeout.TotalSeconds:0.#} s"));
            }
            catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
            {
                AgentIdentityMetrics.TokenReviewsTotal.WithLabels("error").Inc();
                return (null, default, Unavailable(refused, $"the silo may not check it (HTTP {(int)e.Response.StatusCode}: the silo's RBAC must allow creating tokenreviews and getting pods)"));
            }
            catch (HttpOperationException e)
            {
                AgentIdentityMetrics.TokenReviewsTotal.WithLabels("error").Inc();
                return (null, default, Unavailable(refused, $"the Kubernetes API server answered HTTP {(int)e.Response.StatusCode}"));
            }
            catch (HttpRequestException e)
            {
                AgentIdentityMetrics.TokenReviewsTotal.WithLabels("error").Inc();
                return (null, default, Unavailable(refused, $"the Kubernetes API server cannot be reached ({e.Message})"));
            }

            if (refusal is not null)
            {
                return (null, default, refusal);
            }

            _cache.Add(hash, identity!, TrustedUntil(token));
            LogVerified(_logger, identity!.Pod, identity.GatewayKey ?? "(none)");
        }

        return (identity, TrustedUntil(token), null);
    }

    private DateTimeOffset TrustedUntil(string token)
    {
        var until = _time.GetUtcNow() + _options.CacheDuration;
        return TokenExpiry.Read(token) is { } expiry && expiry < until ? expiry : until;
    }

    private async Task<(VerifiedIdentity? Identity, RegistrationVerdict? Refusal)> ReviewAsync(string refused, string token, CancellationToken cancellationToken)
    {
        var review = await _client.AuthenticationV1.CreateTokenReviewAsync(
            new V1TokenReview { Spec = new V1TokenReviewSpec { Token = token, Audiences = [_options.Audience] } },
            cancellationToken: cancellationToken);
        var status = review.Status;
        if (status?.Authenticated != true)
        {
            AgentIdentityMetrics.TokenReviewsTotal.WithLabels("rejected").Inc();
            var why = string.IsNullOrEmpty(status?.Error) ? "no reason given" : UntrustedText.Sanitize(status.Error);
            return (null, RegistrationVerdict.Refused(RegistrationRefusalReasons.TokenRejected,
                $"{refused}: the Kubernetes API server did not accept the identity token for audience \"{_options.Audience}\" ({why}); "
                + "an expired or revoked token, or one of another audience"));
        }

        AgentIdentityMetrics.TokenReviewsTotal.WithLabels("authenticated").Inc();
        if (status.Audiences is not { } audiences || !audiences.Contains(_options.Audience, StringComparer.Ordinal))
        {
            return (null, RegistrationVerdict.Refused(RegistrationRefusalReasons.TokenRejected,
                $"{refused}: the identity token is not valid for audience \"{_options.Audience}\""));
        }

        var username = status.User?.Username ?? "";
        var account = username.StartsWith(ServiceAccountPrefix, StringComparison.Ordinal) ? username[ServiceAccountPrefix.Length..].Split(':') : [];
        var podName = Single(status.User?.Extra, PodNameExtra);
        var podUid = Single(status.User?.Extra, PodUidExtra);
        if (account is not [{ Length: > 0 } ns, { Length: > 0 } serviceAccount] || podName is null || podUid is null)
        {
            return (null, RegistrationVerdict.Refused(RegistrationRefusalReasons.NotAPod,
                $"{refused}: the identity token is {UntrustedText.Sanitize(username)}'s, not a pod's service-account token "
                + $"(a user system:serviceaccount:NAMESPACE:NAME with {PodNameExtra} and {PodUidExtra})"));
        }

        V1Pod pod;
        try
        {
            pod = await _client.CoreV1.ReadNamespacedPodAsync(podName, ns, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return (null, RegistrationVerdict.Refused(RegistrationRefusalReasons.PodGone,
                $"{refused}: the identity token is pod {ns}/{podName}'s, which no longer exists"));
        }

        if (pod.Metadata?.Uid != podUid)
        {
            return (null, RegistrationVerdict.Refused(RegistrationRefusalReasons.PodGone,
                $"{refused}: the identity token is pod {ns}/{podName}'s (uid {podUid}), but that pod is now another one (uid {pod.Metadata?.Uid})"));
        }

        return (new VerifiedIdentity(ns, serviceAccount, podName, podUid, PodGateway.GatewayKey(pod)), null);
    }

    private static string? Single(IDictionary<string, IList<string>>? extra, string key) =>
        extra is not null && extra.TryGetValue(key, out var values) && values is [{ Length: > 0 } value] ? value : null;

    private static RegistrationVerdict Unavailable(string refused, string why) =>
        RegistrationVerdict.Refused(RegistrationRefusalReasons.Unavailable, $"{refused} for now: its identity token cannot be checked: {why}; the agent retries");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent registration for gateway {Key} (agent {AgentId}) refused ({Reason}): {Message}")]
    private static partial void LogRefused(ILogger logger, string key, string agentId, string reason, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent identity verified: pod {Pod}, gateway {Key}")]
    private static partial void LogVerified(ILogger logger, string pod, string key);
}
