using System.Net;
using System.Security.Cryptography;
using System.Text;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stoker.Silo.Kubernetes.Identity;
using Stoker.Silo.Webhooks;

namespace Stoker.Silo.Authentication;

/// <summary>
/// Kubernetes mode (docs/kubernetes.md, "Who may use the apply API"): the cluster authenticates the caller's bearer
/// token (TokenReview) and its RBAC decides what the caller may do (SubjectAccessReview), so one Role governs
/// kubectl and Stoker alike. TokenReviews are cached by the token's SHA-256 until the token expires, at most
/// <see cref="ApiAuthenticationOptions.TokenReviewCacheDuration"/>; access reviews for
/// <see cref="ApiAuthenticationOptions.AccessReviewCacheDuration"/>. Both caches are bounded.
/// </summary>
public sealed partial class KubernetesApiReviewer
{
    private readonly Func<IKubernetes> _client;
    private readonly ApiAuthenticationOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<KubernetesApiReviewer> _logger;
    private readonly ExpiringCache<V1UserInfo?> _tokens;
    private readonly ExpiringCache<(bool Allowed, string? Reason)> _access;

    public KubernetesApiReviewer(Func<IKubernetes> client, IOptions<ApiAuthenticationOptions> options, TimeProvider time, ILogger<KubernetesApiReviewer> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _client = client;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _tokens = new ExpiringCache<V1UserInfo?>(time, _options.CacheSize);
        _access = new ExpiringCache<(bool, string?)>(time, _options.CacheSize);
    }

    /// <summary>The user the token stands for; null User when the API server does not accept it; Unavailable when it could not be asked.</summary>
    public async Task<(V1UserInfo? User, string? Unavailable)> AuthenticateAsync(string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        if (_tokens.TryGet(key, out var cached))
        {
            return (cached, null);
        }

        var spec = new V1TokenReviewSpec { Token = token };
        if (_options.Audiences.Length > 0)
        {
            spec.Audiences = [.. _options.Audiences];
        }

        var (review, unavailable) = await CallAsync("tokenreviews", ct => _client().AuthenticationV1.CreateTokenReviewAsync(new V1TokenReview { Spec = spec }, cancellationToken: ct), cancellationToken);
        if (unavailable is not null)
        {
            return (null, unavailable);
        }

        var now = _time.GetUtcNow();
        if (review!.Status?.Authenticated != true || review.Status.User is not { Username.Length: > 0 } user)
        {
            // A refusal is remembered briefly too, so a client retrying a bad token does not cost a review each time.
            _tokens.Add(key, null, now + _options.AccessReviewCacheDuration);
            LogTokenRejected(_logger, UntrustedText.Sanitize(review.Status?.Error ?? "not authenticated"));
            return (null, null);
        }

        var until = now + _options.TokenReviewCacheDuration;
        if (TokenExpiry.Read(token) is { } expiry && expiry < until)
        {
            until = expiry;
        }

        _tokens.Add(key, user, until);
        return (user, null);
    }

    /// <summary>Whether RBAC lets <paramref name="user"/> make the request; Unavailable when the API server could not be asked.</summary>
    public async Task<(bool Allowed, string? Reason, string? Unavailable)> AuthorizeAsync(V1UserInfo user, ApiRequestAttributes request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(request);
        var spec = new V1SubjectAccessReviewSpec
        {
            User = user.Username,
            Uid = user.Uid,
            Groups = user.Groups,
            Extra = user.Extra,
        };
        if (request.Access is { Kind: ApiAccessKind.Resource } resource)
        {
            spec.ResourceAttributes = new V1ResourceAttributes
            {
                Group = resource.Group,
                Resource = resource.Resource,
                NamespaceProperty = request.Namespace,
                Name = request.Name,
                Verb = request.Verb,
            };
        }
        else
        {
            spec.NonResourceAttributes = new V1NonResourceAttributes { Path = request.Path, Verb = request.Verb };
        }

        var key = CacheKey(spec);
        if (_access.TryGet(key, out var cached))
        {
            return (cached.Allowed, cached.Reason, null);
        }

        var (review, unavailable) = await CallAsync("subjectaccessreviews",
            ct => _client().AuthorizationV1.CreateSubjectAccessReviewAsync(new V1SubjectAccessReview { Spec = spec }, cancellationToken: ct), cancellationToken);
        if (unavailable is not null)
        {
            return (false, null, unavailable);
        }

        var allowed = review!.Status?.Allowed == true && review.Status.Denied != true;
        var reason = review.Status?.Reason is { Length: > 0 } r ? UntrustedText.Sanitize(r) : null;
        _access.Add(key, (allowed, reason), _time.GetUtcNow() + _options.AccessReviewCacheDuration);
        return (allowed, reason, null);
    }

    private async Task<(T? Result, string? Unavailable)> CallAsync<T>(string what, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
        where T : class
    {
        using var timeout = new CancellationTokenSource(_options.ReviewTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        string why;
        try
        {
            return (await call(linked.Token), null);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            why = $"the Kubernetes API server did not answer within {_options.ReviewTimeout.TotalSeconds:0.#} s";
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
        {
            why = $"the silo may not create {what} (HTTP {(int)e.Response.StatusCode}): its RBAC must allow it (k8s/base/silo-rbac.yaml)";
        }
        catch (HttpOperationException e)
        {
            why = $"the Kubernetes API server answered HTTP {(int)e.Response.StatusCode} to a {what} request";
        }
        catch (HttpRequestException e)
        {
            why = $"the Kubernetes API server cannot be reached ({e.Message})";
        }

        LogUnavailable(_logger, what, why);
        return (null, $"the request cannot be checked for now: {why}");
    }

    private static string CacheKey(V1SubjectAccessReviewSpec spec)
    {
        var text = new StringBuilder().Append(spec.User).Append('\n').Append(spec.Uid).Append('\n');
        foreach (var group in spec.Groups ?? [])
        {
            text.Append(group).Append('\n');
        }

        foreach (var (name, values) in (spec.Extra ?? new Dictionary<string, IList<string>>()).OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            text.Append(name).Append('=').AppendJoin(',', values ?? []).Append('\n');
        }

        if (spec.ResourceAttributes is { } r)
        {
            text.Append("r\n").Append(r.Verb).Append('\n').Append(r.Group).Append('\n').Append(r.Resource).Append('\n').Append(r.NamespaceProperty).Append('\n').Append(r.Name);
        }
        else
        {
            text.Append("n\n").Append(spec.NonResourceAttributes.Verb).Append('\n').Append(spec.NonResourceAttributes.Path);
        }

        // Hashed: the key's length stays fixed whatever the groups and names are.
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "API request with a token the Kubernetes API server did not accept: {Error}")]
    private static partial void LogTokenRejected(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "API request not checked ({What}): {Why}")]
    private static partial void LogUnavailable(ILogger logger, string what, string why);
}
