using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Tests.Ignition;

namespace Stoker.Tests.Infrastructure;

/// <summary>
/// A stand-in for GitHub's installation token endpoint (<c>POST /app/installations/{id}/access_tokens</c>) on a real
/// HTTPS port of 127.0.0.1, with a certificate from a throw-away CA written to <see cref="CaFile"/> (give it to the
/// silo as <c>Stoker:GitHubApp:CaFile</c>). It checks what GitHub checks: the JWT's RS256 signature against the App's
/// public key, its claims (<c>iss</c> = the App id, <c>iat</c>/<c>exp</c> at most ten minutes apart and current on
/// <see cref="TimeProvider"/>), the installation, a User-Agent; answers 201 with a fresh token, or what the test set.
/// </summary>
public sealed class FakeGitHubApi : IAsyncDisposable
{
    public const string DefaultSecretName = "github-app";
    public const string DefaultSecretKey = "private-key.pem";

    private readonly WebApplication _app;
    private readonly TestCertificates _certificates;
    private readonly TempDirectory _folder;
    private readonly TimeProvider _time;
    private readonly ConcurrentQueue<FakeGitHubRequest> _requests = new();
    private readonly ConcurrentQueue<string> _issued = new();
    private volatile Tuple<int, string>? _failure;
    private volatile TaskCompletionSource? _hold;

    private FakeGitHubApi(WebApplication app, TestCertificates certificates, TempDirectory folder, TimeProvider time, RSA key)
    {
        _app = app;
        _certificates = certificates;
        _folder = folder;
        _time = time;
        AppKey = key;
        CaFile = certificates.WritePem(certificates.Authority, folder.Combine("github-ca.pem"));
        BaseUrl = new Uri(app.Urls.Single());
    }

    public long AppId { get; } = 424242;

    public long InstallationId { get; } = 98765;

    /// <summary>The App's key pair (2048-bit RSA); the fake verifies with its public half.</summary>
    public RSA AppKey { get; }

    /// <summary>The App's private key as GitHub hands it out: PKCS#1 PEM.</summary>
    public string PrivateKeyPem => AppKey.ExportRSAPrivateKeyPem();

    /// <summary><c>https://127.0.0.1:PORT/</c>: the <c>apiBaseURL</c> to give.</summary>
    public Uri BaseUrl { get; }

    /// <summary>PEM of the CA that issued the endpoint's certificate.</summary>
    public string CaFile { get; }

    /// <summary>What a silo process needs to trust this endpoint (add to <c>SiloProcessSettings.Environment</c>).</summary>
    public IReadOnlyDictionary<string, string> SiloEnvironment => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Stoker__GitHubApp__CaFile"] = CaFile,
    };

    /// <summary>How long issued tokens live (GitHub: one hour).</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>When set, every token issued is this one (so a git server can be started to expect it); else a fresh random one each time.</summary>
    public string? FixedToken { get; set; }

    /// <summary>Every request received, valid or not.</summary>
    public IReadOnlyList<FakeGitHubRequest> Requests => [.. _requests];

    /// <summary>Tokens issued (answers 201), in order.</summary>
    public IReadOnlyList<string> IssuedTokens => [.. _issued];

    public int Exchanges => _issued.Count;

    public static async Task<FakeGitHubApi> StartAsync(TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var folder = new TempDirectory("fake-github");
        var certificates = TestCertificates.Create();
        var key = RSA.Create(2048);
        FakeGitHubApi? api = null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.UseUrls("https://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.ConfigureHttpsDefaults(h => h.ServerCertificate = certificates.Issued));
        var app = builder.Build();
        app.MapPost("/app/installations/{id}/access_tokens", (HttpContext context, string id) => api!.AnswerAsync(context, id));
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            certificates.Dispose();
            key.Dispose();
            folder.Dispose();
            throw;
        }

        api = new FakeGitHubApi(app, certificates, folder, time, key);
        return api;
    }

    /// <summary>From now on every exchange is answered with this status and GitHub's error JSON for <paramref name="message"/>.</summary>
    public void FailWith(int status, string message) =>
        _failure = Tuple.Create(status, new JsonObject { ["message"] = message, ["documentation_url"] = "https://docs.github.com/rest", ["status"] = status.ToString(CultureInfo.InvariantCulture) }.ToJsonString());

    /// <summary>From now on every exchange is answered with this raw status and body.</summary>
    public void AnswerRaw(int status, string body) => _failure = Tuple.Create(status, body);

    /// <summary>Back to answering valid requests with tokens.</summary>
    public void Succeed() => _failure = null;

    /// <summary>Requests wait unanswered until <see cref="Release"/>.</summary>
    public void Hold() => _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => Interlocked.Exchange(ref _hold, null)?.TrySetResult();

    /// <summary>
    /// Writes the App's private key as a local-mode Secret (<c>{secretsRoot}/{ns}/{name}/{key}</c>) and returns the
    /// <c>spec.git.auth.githubApp</c> block that names it and this endpoint.
    /// </summary>
    public GitHubAppAuth WritePrivateKeySecret(string secretsRoot, string ns, string name = DefaultSecretName, string key = DefaultSecretKey, string? pem = null)
    {
        var folder = Path.Join(secretsRoot, ns, name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Join(folder, key), pem ?? PrivateKeyPem);
        return new GitHubAppAuth
        {
            AppId = AppId,
            InstallationId = InstallationId,
            PrivateKeySecretRef = new SecretKeyRef { Name = name, Key = key },
            ApiBaseUrl = BaseUrl.AbsoluteUri.TrimEnd('/'),
        };
    }

    /// <summary>The same block as YAML, indented to sit under <c>spec.git</c> of a manifest.</summary>
    public static string AuthYaml(GitHubAppAuth app, int indent = 4)
    {
        ArgumentNullException.ThrowIfNull(app);
        var pad = new string(' ', indent);
        return string.Join('\n',
            $"{pad}auth:",
            $"{pad}  githubApp:",
            $"{pad}    appId: {app.AppId.ToString(CultureInfo.InvariantCulture)}",
            $"{pad}    installationId: {app.InstallationId.ToString(CultureInfo.InvariantCulture)}",
            $"{pad}    apiBaseURL: \"{app.ApiBaseUrl}\"",
            $"{pad}    privateKeySecretRef:",
            $"{pad}      name: {app.PrivateKeySecretRef.Name}",
            $"{pad}      key: {app.PrivateKeySecretRef.Key}");
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            await _app.StopAsync(stop.Token);
        }

        await _app.DisposeAsync();
        _certificates.Dispose();
        AppKey.Dispose();
        _folder.Dispose();
    }

    private async Task AnswerAsync(HttpContext context, string id)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        var (claims, problem) = Verify(authorization);
        var request = new FakeGitHubRequest(
            context.Request.Path, claims, problem,
            context.Request.Headers.Accept.ToString(), context.Request.Headers.UserAgent.ToString(), authorization);
        _requests.Enqueue(request);
        if (_hold is { } hold)
        {
            await hold.Task;
        }

        if (_failure is { } failure)
        {
            await WriteAsync(context, failure.Item1, failure.Item2);
        }
        else if (request.UserAgent.Length == 0)
        {
            await WriteErrorAsync(context, 403, "Request forbidden by administrative rules. Please make sure your request has a User-Agent header");
        }
        else if (problem is not null)
        {
            await WriteErrorAsync(context, 401, problem);
        }
        else if (id != InstallationId.ToString(CultureInfo.InvariantCulture))
        {
            await WriteErrorAsync(context, 404, "Not Found");
        }
        else
        {
            var token = FixedToken ?? "ghs_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(18));
            var expires = _time.GetUtcNow() + TokenLifetime;
            _issued.Enqueue(token);
            await WriteAsync(context, 201, new JsonObject
            {
                ["token"] = token,
                ["expires_at"] = expires.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                ["permissions"] = new JsonObject { ["contents"] = "read" },
                ["repository_selection"] = "all",
            }.ToJsonString());
        }
    }

    /// <summary>The JWT's claims, or why GitHub would refuse it.</summary>
    private (IReadOnlyDictionary<string, JsonElement>? Claims, string? Problem) Verify(string authorization)
    {
        if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return (null, "A JSON web token could not be decoded");
        }

        var parts = authorization["Bearer ".Length..].Split('.');
        if (parts.Length != 3)
        {
            return (null, "A JSON web token could not be decoded");
        }

        try
        {
            using var header = JsonDocument.Parse(Base64UrlDecode(parts[0]));
            if (header.RootElement.GetProperty("alg").GetString() != "RS256")
            {
                return (null, "A JSON web token could not be decoded");
            }

            var signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
            if (!AppKey.VerifyData(signed, Base64UrlDecode(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
            {
                return (null, "A JSON web token could not be decoded");
            }

            using var payload = JsonDocument.Parse(Base64UrlDecode(parts[1]));
            var claims = payload.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
            var now = _time.GetUtcNow().ToUnixTimeSeconds();
            if (!claims.TryGetValue("iss", out var iss) || iss.ToString() != AppId.ToString(CultureInfo.InvariantCulture))
            {
                return (claims, "Integration not found");
            }

            if (!claims.TryGetValue("iat", out var iat) || !claims.TryGetValue("exp", out var exp) || iat.ValueKind != JsonValueKind.Number || exp.ValueKind != JsonValueKind.Number)
            {
                return (claims, "'Issued at' claim ('iat') and 'Expiration time' claim ('exp') must be numeric values");
            }

            if (iat.GetInt64() > now)
            {
                return (claims, "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued");
            }

            if (exp.GetInt64() <= now || exp.GetInt64() - iat.GetInt64() > 660)
            {
                return (claims, "'Expiration time' claim ('exp') is too far in the future");
            }

            return (claims, null);
        }
        catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException or InvalidOperationException or CryptographicException)
        {
            return (null, "A JSON web token could not be decoded");
        }
    }

    private static Task WriteErrorAsync(HttpContext context, int status, string message) =>
        WriteAsync(context, status, new JsonObject { ["message"] = message, ["documentation_url"] = "https://docs.github.com/rest", ["status"] = status.ToString(CultureInfo.InvariantCulture) }.ToJsonString());

    private static async Task WriteAsync(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body);
    }

    private static byte[] Base64UrlDecode(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        return Convert.FromBase64String(padded);
    }
}
