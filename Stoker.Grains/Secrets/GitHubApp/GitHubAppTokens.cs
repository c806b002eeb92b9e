using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Grains.Metrics;

namespace Stoker.Grains.Secrets.GitHubApp;

/// <summary>
/// GitHub App installation tokens (docs/private-repositories.md, "GitHub App"): the App's PEM key from the Secret the
/// resource names signs a JWT that GitHub exchanges for an installation token. One token per
/// <c>appId:installationId</c> for the whole process, reused until 5 minutes before it expires; callers asking at
/// the same time share one exchange; a failure is not remembered.
/// </summary>
/// <remarks>
/// A cached token is given only to a caller whose Secret holds the same key and whose <c>apiBaseURL</c> is the same
/// as the exchange's: knowing an App's ids is not enough to get its token (the original shared it with any resource
/// naming the ids). The key is read per call, used for one signature and dropped; only a digest of it is kept.
/// </remarks>
public sealed partial class GitHubAppTokens : IGitHubAppTokens, IDisposable
{
    /// <summary>A token is replaced this long before it expires (the original's margin).</summary>
    public static readonly TimeSpan RefreshBefore = TimeSpan.FromMinutes(5);

    private const string Prefix = "resolving GitHub App auth: ";
    private const string Field = "spec.git.auth.githubApp";

    private readonly ISecretStore _secrets;
    private readonly GitHubAppOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<GitHubAppTokens> _logger;
    private readonly GitHubAppExchange _exchange;
    private readonly ConcurrentDictionary<string, GitHubAppCachedToken> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task<GitHubAppToken>> _inFlight = new(StringComparer.Ordinal);

    public GitHubAppTokens(ISecretStore secrets, IOptions<GitHubAppOptions> options, TimeProvider time, ILogger<GitHubAppTokens> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _secrets = secrets;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _exchange = new GitHubAppExchange(_options);
    }

    public async Task<GitHubAppToken> GetTokenAsync(string @namespace, GitHubAppAuth app, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        try
        {
            var apiBase = ApiBase(app);
            var pem = await ReadKeyAsync(@namespace, app.PrivateKeySecretRef, cancellationToken).ConfigureAwait(false);
            var key = CacheKey(app);
            var binding = Binding(pem, apiBase);
            if (_cache.TryGetValue(key, out var cached) && cached.Binding == binding && _time.GetUtcNow() < cached.Token.ExpiresAt - RefreshBefore)
            {
                return cached.Token;
            }

            // One exchange per key and binding at a time; it runs off the caller's grain (Task.Run) and on its own
            // deadline, so a caller giving up does not fail the others waiting for it.
            var flightKey = key + "\n" + binding;
            var mine = new TaskCompletionSource<GitHubAppToken>(TaskCreationOptions.RunContinuationsAsynchronously);
            var flight = _inFlight.GetOrAdd(flightKey, mine.Task);
            if (flight == mine.Task)
            {
                // Observed even if every caller gave up waiting: a failure nobody awaits is not an unobserved exception.
                _ = mine.Task.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                _ = Task.Run(() => RunExchangeAsync(app, key, binding, flightKey, pem, apiBase, mine), CancellationToken.None);
            }

            return await flight.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (GitCredentialsException e) when (!e.Message.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new GitCredentialsException(Prefix + e.Message, e);
        }
    }

    public DateTimeOffset? CachedExpiry(GitHubAppAuth app) =>
        app is not null && _cache.TryGetValue(CacheKey(app), out var cached) ? cached.Token.ExpiresAt : null;

    public void Dispose() => _exchange.Dispose();

    private async Task RunExchangeAsync(GitHubAppAuth app, string key, string binding, string flightKey, string pem, Uri apiBase, TaskCompletionSource<GitHubAppToken> completion)
    {
        var (appId, installationId) = (Id(app.AppId), Id(app.InstallationId));
        try
        {
            var token = await ExchangeAsync(app, pem, apiBase).ConfigureAwait(false);
            _cache[key] = new GitHubAppCachedToken(token, binding);
            ControllerMetrics.GitHubAppTokenExpiry.WithLabels(appId, installationId).Set(token.ExpiresAt.ToUnixTimeSeconds());
            LogExchanged(_logger, appId, installationId, token.ExpiresAt);
            _inFlight.TryRemove(KeyValuePair.Create(flightKey, completion.Task));
            completion.SetResult(token);
        }
        catch (Exception e)
        {
            var failure = e as GitCredentialsException ?? new GitCredentialsException("exchanging the App JWT: " + e.Message, e);
            LogExchangeFailed(_logger, appId, installationId, failure.Message);
            _inFlight.TryRemove(KeyValuePair.Create(flightKey, completion.Task));
            completion.SetException(failure);
        }
    }

    private async Task<GitHubAppToken> ExchangeAsync(GitHubAppAuth app, string pem, Uri apiBase)
    {
        string jwt;
        using (var rsa = GitHubAppPrivateKey.Parse(pem))
        {
            jwt = GitHubAppJwt.Create(rsa, app.AppId, _time.GetUtcNow());
        }

        using var deadline = new CancellationTokenSource(_options.ExchangeTimeout, _time);
        try
        {
            return await _exchange.ExchangeAsync(apiBase, app.InstallationId, jwt, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (deadline.IsCancellationRequested)
        {
            throw new GitCredentialsException($"GitHub API at {apiBase.AbsoluteUri} did not answer within {_options.ExchangeTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s", e);
        }
    }

    private async Task<string> ReadKeyAsync(string @namespace, SecretKeyRef reference, CancellationToken cancellationToken)
    {
        var where = $"{@namespace}/{reference.Name}";
        if (!_secrets.IsConfigured)
        {
            throw new GitCredentialsException($"reading PEM secret {where}: no secret store is configured");
        }

        string? pem;
        try
        {
            pem = await _secrets.ReadAsync(@namespace, reference.Name, reference.Key, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException and not GitCredentialsException)
        {
            throw new GitCredentialsException($"reading PEM secret {where}: {e.Message}", e);
        }

        return pem ?? throw new GitCredentialsException($"key \"{reference.Key}\" not found in secret {where}");
    }

    /// <summary>The token endpoint's base: absolute, https unless allowed otherwise, no credentials, query or fragment.</summary>
    private Uri ApiBase(GitHubAppAuth app)
    {
        if (app.AppId <= 0 || app.InstallationId <= 0)
        {
            var (field, value) = app.AppId <= 0 ? ("appId", app.AppId) : ("installationId", app.InstallationId);
            throw new GitCredentialsException($"{Field}.{field}: {value.ToString(CultureInfo.InvariantCulture)}: must be a positive GitHub App id");
        }

        var text = string.IsNullOrEmpty(app.ApiBaseUrl) ? GitHubAppAuth.DefaultApiBaseUrl : app.ApiBaseUrl;
        var allowHttp = _options.AllowInsecureHttp;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)
            || !(uri.Scheme == Uri.UriSchemeHttps || (allowHttp && uri.Scheme == Uri.UriSchemeHttp))
            || uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            var rule = allowHttp ? "an absolute http(s) URL" : $"an absolute https URL ({GitHubAppOptions.SectionName}:{nameof(GitHubAppOptions.AllowInsecureHttp)} allows http)";
            throw new GitCredentialsException($"{Field}.apiBaseURL: \"{Git.UrlRedactor.Redact(text)}\": must be {rule} without user-info, query or fragment");
        }

        return uri;
    }

    private static string CacheKey(GitHubAppAuth app) => $"{Id(app.AppId)}:{Id(app.InstallationId)}";

    /// <summary>What a cached token is bound to: the key that obtained it and where from (a digest; the key is not kept).</summary>
    private static string Binding(string pem, Uri apiBase) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiBase.AbsoluteUri + "\0" + pem)));

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "GitHub App {AppId} installation {InstallationId}: installation token obtained, expires {ExpiresAt:o}")]
    private static partial void LogExchanged(ILogger logger, string appId, string installationId, DateTimeOffset expiresAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "GitHub App {AppId} installation {InstallationId}: token exchange failed: {Error}")]
    private static partial void LogExchangeFailed(ILogger logger, string appId, string installationId, string error);
}
