using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Stoker.AgentClient.Ignition;

/// <summary>
/// The gateway's HTTP API as the agent uses it: rescans after a sync, the gateway-info health check, the
/// unauthenticated gwinfo port check, and the list of open Designers. Knows nothing of git, Orleans or files.
/// Every exchange is bounded by <see cref="IgnitionClientOptions.RequestTimeout"/>; scan calls are retried
/// as the original did (3 attempts, 2 s then 4 s apart) but only when a retry can help.
/// </summary>
public sealed class IgnitionClient : IDisposable
{
    public const string ApiTokenHeader = "X-Ignition-API-Token";
    public const string ScanProjectsPath = "data/api/v1/scan/projects";
    public const string ScanConfigPath = "data/api/v1/scan/config";
    public const string GatewayInfoPath = "data/api/v1/gateway-info";
    public const string GwInfoPath = "system/gwinfo";
    public const string DesignersPath = "data/api/v1/designers";

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _timeout;
    private readonly ResiliencePipeline<GatewayAnswer> _scanRetry;

    /// <summary>Uses <paramref name="httpClient"/> as given (build its handler with <see cref="CreateHandler"/> for the TLS settings).</summary>
    public IgnitionClient(HttpClient httpClient, IgnitionClientOptions options, TimeProvider? timeProvider = null, ILogger<IgnitionClient>? logger = null)
        : this(httpClient, ownsHttp: false, options, timeProvider, logger)
    {
    }

    private IgnitionClient(HttpClient httpClient, bool ownsHttp, IgnitionClientOptions options, TimeProvider? timeProvider, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new IgnitionOptionsException(errors);
        }

        _http = httpClient;
        _ownsHttp = ownsHttp;
        Options = options;
        _logger = logger ?? NullLogger.Instance;
        var time = timeProvider ?? TimeProvider.System;
        _timeout = new ResiliencePipelineBuilder { TimeProvider = time }.AddTimeout(options.RequestTimeout).Build();
        var retry = new ResiliencePipelineBuilder<GatewayAnswer> { TimeProvider = time };
        var delays = options.ScanRetryDelays;
        if (delays.Count > 0)
        {
            retry.AddRetry(new RetryStrategyOptions<GatewayAnswer>
            {
                MaxRetryAttempts = delays.Count,
                BackoffType = DelayBackoffType.Constant,
                UseJitter = false,
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(delays[Math.Min(args.AttemptNumber, delays.Count - 1)]),
                ShouldHandle = args => ValueTask.FromResult(IsRetryable(args.Outcome, args.Context.CancellationToken)),
                OnRetry = args =>
                {
                    var reason = args.Outcome.Exception is { } e ? DescribeFailure(e) : $"HTTP {args.Outcome.Result!.Status}";
                    IgnitionLog.ScanRetrying(_logger, args.AttemptNumber + 1, args.RetryDelay, reason);
                    return default;
                },
            });
        }

        _scanRetry = retry.Build();
    }

    public IgnitionClientOptions Options { get; }

    /// <summary>A client that owns its <see cref="HttpClient"/> (built with <see cref="CreateHandler"/>); dispose it.</summary>
    public static IgnitionClient Create(IgnitionClientOptions options, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        // The per-exchange timeout comes from our pipeline (on the TimeProvider), not from HttpClient.Timeout.
        var http = new HttpClient(CreateHandler(options), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        try
        {
            return new IgnitionClient(http, ownsHttp: true, options, timeProvider, loggerFactory?.CreateLogger<IgnitionClient>());
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The handler the agent needs: certificates verified against the system's roots, or against
    /// <see cref="IgnitionClientOptions.CaFile"/> only, or not at all when <see cref="IgnitionClientOptions.InsecureSkipTlsVerify"/>
    /// says so; no redirects (they would carry the API key elsewhere); connections bounded by the request timeout.
    /// </summary>
    public static SocketsHttpHandler CreateHandler(IgnitionClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectTimeout = options.RequestTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        if (options.InsecureSkipTlsVerify)
        {
#pragma warning disable CA5359 // The user asked for it explicitly (IGNITION_INSECURE_SKIP_TLS_VERIFY); the default verifies.
            handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        else if (options.CaFile is not null)
        {
            var errors = new List<string>();
            var authorities = options.LoadCaCertificates(errors);
            if (errors.Count > 0)
            {
                handler.Dispose();
                throw new IgnitionOptionsException(errors);
            }

            // Trust exactly the given CAs. Host names are still checked. Private CAs rarely publish revocation lists.
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.AddRange(authorities);
            handler.SslOptions.CertificateChainPolicy = policy;
        }

        return handler;
    }

    /// <summary>
    /// <c>POST scan/projects</c>, then (only if it succeeded) <c>POST scan/config</c>. Never throws for gateway
    /// problems: they are in the result, whose text is the report's <c>lastScanResult</c>.
    /// </summary>
    public async Task<ScanResult> ScanAsync(CancellationToken cancellationToken = default)
    {
        var (projects, projectsError) = await ScanOneAsync(ScanProjectsPath, cancellationToken);
        if (projectsError is not null)
        {
            IgnitionLog.ScanFailed(_logger, "scan/projects", projectsError);
            return new ScanResult(null, null, $"scan/projects: {projectsError}");
        }

        var (config, configError) = await ScanOneAsync(ScanConfigPath, cancellationToken);
        if (configError is not null)
        {
            IgnitionLog.ScanFailed(_logger, "scan/config", configError);
            return new ScanResult(projects, null, $"scan/config: {configError}");
        }

        IgnitionLog.Scanned(_logger, projects!.Value, config!.Value);
        return ScanResult.Success(projects.Value, config.Value);
    }

    /// <summary><c>GET gateway-info</c> with the API key: healthy on 2xx. One attempt; never throws for gateway problems.</summary>
    public async Task<GatewayHealth> HealthCheckAsync(CancellationToken cancellationToken = default)
    {
        GatewayAnswer answer;
        try
        {
            answer = await ExchangeAsync(HttpMethod.Get, GatewayInfoPath, authenticated: true, cancellationToken);
        }
        catch (Exception e) when (IsGatewayFailure(e, cancellationToken))
        {
            return new GatewayHealth(false, null, $"gateway health check: {DescribeFailure(e)}", null);
        }

        if (!answer.IsSuccess)
        {
            return new GatewayHealth(false, answer.Status, $"gateway returned {DescribeStatus(answer, GatewayInfoPath)}", null);
        }

        return new GatewayHealth(true, answer.Status, null, ParseGatewayInfo(answer.Body));
    }

    /// <summary>
    /// <c>GET /system/gwinfo</c> without the API key (a first-boot gateway may not accept it yet): up unless it answers
    /// 503 or reports a <c>ContextStatus</c> other than <c>RUNNING</c>.
    /// </summary>
    public async Task<PortCheckResult> PortCheckAsync(CancellationToken cancellationToken = default)
    {
        GatewayAnswer answer;
        try
        {
            answer = await ExchangeAsync(HttpMethod.Get, GwInfoPath, authenticated: false, cancellationToken);
        }
        catch (Exception e) when (IsGatewayFailure(e, cancellationToken))
        {
            return new PortCheckResult(false, null, null, $"gateway port check: {DescribeFailure(e)}");
        }

        var contextStatus = answer.IsSuccess ? ParseContextStatus(answer.Body) : null;
        if (answer.Status == 503)
        {
            return new PortCheckResult(false, 503, contextStatus, "gateway returned HTTP 503 (still starting)");
        }

        // Departure from the original (any non-503 answer meant up): a gateway that says it is not RUNNING yet
        // would overwrite a re-sync made now, which is what the post-commission sync is there to avoid.
        if (contextStatus is not null && !string.Equals(contextStatus, "RUNNING", StringComparison.OrdinalIgnoreCase))
        {
            return new PortCheckResult(false, answer.Status, contextStatus, $"gateway context status is {contextStatus} (not RUNNING yet)");
        }

        return new PortCheckResult(true, answer.Status, contextStatus, null);
    }

    /// <summary>
    /// <c>GET /data/api/v1/designers</c> with the API key; only 200 is an answer. Throws <see cref="IgnitionApiException"/>
    /// when there is none (callers fail open).
    /// </summary>
    public async Task<IReadOnlyList<DesignerSession>> GetDesignerSessionsAsync(CancellationToken cancellationToken = default)
    {
        GatewayAnswer answer;
        try
        {
            answer = await ExchangeAsync(HttpMethod.Get, DesignersPath, authenticated: true, cancellationToken);
        }
        catch (Exception e) when (IsGatewayFailure(e, cancellationToken))
        {
            throw new IgnitionApiException($"fetching designer sessions: {DescribeFailure(e)}", null, e);
        }

        if (answer.Status != 200)
        {
            throw new IgnitionApiException($"designer sessions API returned {DescribeStatus(answer, DesignersPath)}", answer.Status);
        }

        try
        {
            return ParseDesigners(answer.Body);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new IgnitionApiException($"decoding designer sessions response: {e.Message}", answer.Status, e);
        }
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private async Task<(int? Status, string? Error)> ScanOneAsync(string path, CancellationToken cancellationToken)
    {
        var attempts = 0;
        try
        {
            var answer = await _scanRetry.ExecuteAsync(
                async token =>
                {
                    attempts++;
                    return await ExchangeAsync(HttpMethod.Post, path, authenticated: true, token);
                },
                cancellationToken);
            return answer.IsSuccess ? (answer.Status, null) : (null, $"{RetriedPrefix(attempts)}{DescribeStatus(answer, path)}");
        }
        catch (Exception e) when (IsGatewayFailure(e, cancellationToken))
        {
            return (null, $"{RetriedPrefix(attempts)}{DescribeFailure(e)}");
        }
    }

    /// <summary>One request and its (bounded) body, within <see cref="IgnitionClientOptions.RequestTimeout"/>.</summary>
    private async Task<GatewayAnswer> ExchangeAsync(HttpMethod method, string path, bool authenticated, CancellationToken cancellationToken) =>
        await _timeout.ExecuteAsync(
            async token =>
            {
                using var request = new HttpRequestMessage(method, new Uri(Options.BaseUrl, path));
                if (authenticated && !string.IsNullOrEmpty(Options.ApiToken))
                {
                    request.Headers.TryAddWithoutValidation(ApiTokenHeader, Options.ApiToken);
                }

                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token);
                var body = await GatewayAnswer.ReadBodyAsync(response.Content, token);
                return new GatewayAnswer((int)response.StatusCode, body, response.Headers.Location);
            },
            cancellationToken);

    /// <summary>The original retried every failure; a wrong key, a missing route or a TLS refusal will not heal in 6 s.</summary>
    private static bool IsRetryable(Outcome<GatewayAnswer> outcome, CancellationToken cancellationToken) => outcome switch
    {
        { Exception: HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } } => false,
        { Exception: { } e } => IsGatewayFailure(e, cancellationToken),
        { Result: { } answer } => !answer.IsSuccess && (answer.Status >= 500 || answer.Status is 408 or 429),
        _ => false,
    };

    /// <summary>Failures that belong in a result or message; cancellation by the caller is not one of them.</summary>
    private static bool IsGatewayFailure(Exception e, CancellationToken cancellationToken) => e switch
    {
        TimeoutRejectedException or HttpRequestException or IOException => true,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    private static string RetriedPrefix(int attempts) => attempts > 1 ? $"after {attempts} retries: " : "";

    private string DescribeFailure(Exception e) => e switch
    {
        TimeoutRejectedException => $"timed out after {IgnitionDurations.Format(Options.RequestTimeout)} without an answer ({IgnitionClientOptions.RequestTimeoutVariable})",
        OperationCanceledException => "timed out without an answer (the HTTP client's own timeout)",
        HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } => $"TLS: {Innermost(e)} "
            + (Options.CaFile is null
                ? $"(give the CA of the gateway's certificate in {IgnitionClientOptions.CaFileVariable})"
                : $"(the certificate is not issued by the CA in {Options.CaFile}, or not for {Options.BaseUrl.Host})"),
        HttpRequestException => e.Message,
        _ => $"{e.GetType().Name}: {e.Message}",
    };

    private string DescribeStatus(GatewayAnswer answer, string path) => answer.Status switch
    {
        401 when string.IsNullOrEmpty(Options.ApiToken) => $"HTTP 401: the gateway wants an API key and none is configured (set {IgnitionClientOptions.ApiKeyFileVariable})",
        401 => $"HTTP 401: the gateway did not accept the API key from {Options.ApiTokenSource}",
        403 => $"HTTP 403: the API key from {Options.ApiTokenSource} is not allowed to do this (give the key a security level with gateway access)",
        404 => $"HTTP 404: the gateway has no /{path} (the agent needs Ignition 8.3 or later)",
        >= 300 and < 400 => $"HTTP {answer.Status}: the gateway redirects to {answer.Location} (point GATEWAY_PORT/GATEWAY_TLS at that address)",
        _ => $"HTTP {answer.Status}",
    };

    private static string Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e.Message;
    }

    private static GatewayInfo? ParseGatewayInfo(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                ? new GatewayInfo(Text(root, "name"), Text(root, "ignitionVersion"), Text(root, "edition"), Text(root, "redundancyRole"))
                : null;
        }
        catch (JsonException)
        {
            // Healthy is decided by the status code; the body is only for the log.
            return null;
        }
    }

    /// <summary><c>ContextStatus=RUNNING;PlatformName=…;</c> → <c>RUNNING</c>.</summary>
    private static string? ParseContextStatus(string body)
    {
        foreach (var pair in body.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && pair[..equals].Equals("ContextStatus", StringComparison.OrdinalIgnoreCase))
            {
                return pair[(equals + 1)..].Trim();
            }
        }

        return null;
    }

    private static List<DesignerSession> ParseDesigners(string body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"expected a JSON object with \"items\", got {root.ValueKind}");
        }

        var sessions = new List<DesignerSession>();
        if (!root.TryGetProperty("items", out var items) || items.ValueKind == JsonValueKind.Null)
        {
            return sessions;
        }

        if (items.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"\"items\" must be an array, got {items.ValueKind}");
        }

        foreach (var item in items.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object))
        {
            var uptime = item.TryGetProperty("uptime", out var u) && u.ValueKind == JsonValueKind.Number && u.TryGetInt64(out var ms) ? ms : 0;
            sessions.Add(new DesignerSession(
                Text(item, "id") ?? "", Text(item, "user") ?? "(unknown user)", Text(item, "project") ?? "(unknown project)",
                Text(item, "address"), Text(item, "timezone"), uptime));
        }

        return sessions;
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
