using System.Globalization;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Grains.Metrics;
using Stoker.Grains.Secrets;
using Stoker.Grains.Secrets.GitHubApp;
using Stoker.Tests.Ignition;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.GitHubApp;

/// <summary>
/// The token exchange against <see cref="FakeGitHubApi"/> over real HTTPS, on a fake clock: cached per App
/// installation, refreshed 5 minutes before expiry, shared by concurrent callers, failures not cached.
/// </summary>
public sealed class GitHubAppTokensTests : IAsyncLifetime
{
    private const string Ns = "plant";
    private readonly TempDirectory _temp = new("github-app");
    private readonly FakeTimeProvider _time = new(TimeProvider.System.GetUtcNow());
    private readonly ListLogger<GitHubAppTokens> _log = new();
    private FakeGitHubApi _github = null!;
    private GitHubAppTokens _tokens = null!;
    private GitHubAppAuth _app = null!;

    private string Secrets => _temp.Combine("secrets");

    public async Task InitializeAsync()
    {
        _github = await FakeGitHubApi.StartAsync(_time);
        _app = _github.WritePrivateKeySecret(Secrets, Ns);
        _tokens = Create(new GitHubAppOptions { CaFile = _github.CaFile });
    }

    public async Task DisposeAsync()
    {
        _tokens.Dispose();
        await _github.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task GetToken_ExchangesOnceThenServesFromCache_JwtVerifiedByTheEndpoint()
    {
        var first = await _tokens.GetTokenAsync(Ns, _app, CancellationToken.None);
        var second = await _tokens.GetTokenAsync(Ns, _app, CancellationToken.None);

        Assert.Equal(1, _github.Exchanges);
        Assert.Equal(_github.IssuedTokens[0], first.Token);
        Assert.Same(first, second);
        Assert.Equal(_time.GetUtcNow().AddHours(1).ToUnixTimeSeconds(), first.ExpiresAt.ToUnixTimeSeconds());
        Assert.Equal(first.ExpiresAt, _tokens.CachedExpiry(_app));
        var request = Assert.Single(_github.Requests);
        Assert.Null(request.Problem);
        Assert.Equal($"/app/installations/{_github.InstallationId}/access_tokens", request.Path);
        Assert.Equal("application/vnd.github+json", request.Accept);
        Assert.StartsWith("stoker-control-plane/", request.UserAgent, StringComparison.Ordinal);
        Assert.Equal(_github.AppId.ToString(CultureInfo.InvariantCulture), request.Claims!["iss"].GetString());
        Assert.Equal(_time.GetUtcNow().ToUnixTimeSeconds() - 60, request.Claims["iat"].GetInt64());
        Assert.Equal(_time.GetUtcNow().ToUnixTimeSeconds() + 600, request.Claims["exp"].GetInt64());
    }

    [Fact]
    public async Task GetToken_RefreshedFiveMinutesBeforeExpiry_NotBefore()
    {
        var first = await _tokens.GetTokenAsync(Ns, _app, CancellationToken.None);

        _time.Advance(TimeSpan.FromMinutes(55) - TimeSpan.FromSeconds(1));
        Assert.Equal(first.Token, (await _tokens.GetTokenAsync(Ns, _app, CancellationToken.None)).Token);
        Assert.Equal(1, _github.Exchanges);

        _time.Advance(TimeSpan.FromSeconds(1));
        var refreshed = await _tokens.GetTokenAsync(Ns, _app, CancellationToken.None);

        Assert.Equal(2, _github.Exchanges);
        Assert.Equal(_github.IssuedTokens[1], refreshed.Token);
        Assert.NotEqual(first.Token, refreshed.Token);
        Assert.Equal(_time.GetUtcNow().AddHours(1).ToUnixTimeSeconds(), refreshed.ExpiresAt.ToUnixTimeSeconds());
        Assert.Null(_github.Requests[1].Problem);
    }

    [Fact]
    public async Task GetToken_ExchangeSetsTheExpiryGauge()
    {
        var token = await _tokens.GetTokenAsync(Ns, _app, CancellationToken.None);

        var gauge = ControllerMetrics.GitHubAppTokenExpiry.WithLabels(_github.AppId.ToString(CultureInfo.InvariantCulture), _github.InstallationId.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(token.ExpiresAt.ToUnixTimeSeconds(), gauge.Value);
    }

    [Fact]
    public async Task GetToken_ManyConcurrentCallers_ShareOneExchange()
    {
        _github.Hold();
        var callers = Enumerable.Range(0, 1000).Select(_ => Task.Run(() => _tokens.GetTokenAsync(Ns, _app, CancellationToken.None))).ToList();
        await Eventually.Until(() => Task.FromResult(_github.Requests.Count), n => n >= 1, TimeSpan.FromSeconds(30), "the first exchange reached the endpoint");
        _github.Release();

        var tokens = await Task.WhenAll(callers);

        Assert.Single(_github.Requests);
        Assert.All(tokens, t => Assert.Equal(_github.IssuedTokens.Single(), t.Token));
    }

    [Fact]
    public async Task GetToken_GitHubRefuses_MessageCarriesGitHubsText_FailureNotCached()
    {
        _github.FailWith(401, "A JSON web token could not be decoded");

        var error = await Assert.ThrowsAsync<GitCredentialsException>(() => _tokens.GetTokenAsync(Ns, _app, CancellationToken.None));

        Assert.StartsWith("resolving GitHub App auth: GitHub API returned 401: {\"message\":\"A JSON web token could not be decoded\"", error.Message, StringComparison.Ordinal);
        Assert.Null(_tokens.CachedExpiry(_app));
        var jwt = _github.Requests[0].Authorization["Bearer ".Length..];
        Assert.DoesNotContain(jwt, error.Message, StringComparison.Ordinal);
        Assert.Contains(_log.Entries, e => e.Message.Contains("token exchange failed: GitHub API returned 401", StringComparison.Ordinal));

        _github.Succeed();
        var token = await _tokens.GetTokenAsync(Ns, _app, CancellationToken.None);

        Assert.Equal(2, _github.Requests.Count);
        Assert.Equal(_github.IssuedTokens.Single(), token.Token);
        Assert.All(_log.Entries, e =>
        {
            Assert.DoesNotContain(token.Token, e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(jwt, e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("PRIVATE KEY", e.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task GetToken_HugeOrHostileErrorBody_QuotedBoundedOnOneLine_JwtMasked()
    {
        _github.AnswerRaw(500, "boom\r\nInjected: line\u001b[31m" + new string('x', 1024 * 1024));

        var error = await Assert.ThrowsAsync<GitCredentialsException>(() => _tokens.GetTokenAsync(Ns, _app, CancellationToken.None));

        Assert.StartsWith("resolving GitHub App auth: GitHub API returned 500: boom  Injected: line [31mxxx", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("…(cut at 4 KiB)", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Length < 4300, error.Message.Length.ToString(CultureInfo.InvariantCulture));
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task GetToken_EndpointEchoesTheRequest_JwtMasked()
    {
        await _tokens.GetTokenAsync(Ns, _app, CancellationToken.None);
        var jwtShape = _github.Requests[0].Authorization;
        _time.Advance(TimeSpan.FromHours(1));
        // An endpoint that echoes what it got would echo this pass's JWT: the fake's clock makes it predictable.
        using var key = System.Security.Cryptography.RSA.Create();
        key.ImportFromPem(_github.PrivateKeyPem);
        var next = GitHubAppJwt.Create(key, _github.AppId, _time.GetUtcNow());
        Assert.NotEqual(jwtShape, "Bearer " + next);
        _github.AnswerRaw(400, "{\"message\":\"bad\",\"echo\":\"Bearer " + next + "\"}");

        var error = await Assert.ThrowsAsync<GitCredentialsException>(() => _tokens.GetTokenAsync(Ns, _app, CancellationToken.None));

        Assert.Equal("resolving GitHub App auth: GitHub API returned 400: {\"message\":\"bad\",\"echo\":\"Bearer ***\"}", error.Message);
    }

    [Fact]
    public async Task GetToken_SuccessWithoutToken_ClearErrorThatQuotesNothing()
    {
        _github.AnswerRaw(201, "{\"expires_at\":\"2026-12-07T07:00:00Z\",\"secret\":\"do-not-quote\"}");

        var error = await Assert.ThrowsAsync<GitCredentialsException>(() => _tokens.GetTokenAsync(Ns, _app, CancellationToken.None));

        Assert.Equal("resolving GitHub App auth: GitHub API returned 201 without a \"token\"", error.Message);
    }

    [Fact]
    public async Task GetToken_MissingKeyOrSecret_NamesTheSecret()
    {
        var missingKey = _app with { PrivateKeySecretRef = new SecretKeyRef { Name = FakeGitHubApi.DefaultSecretName, Key = "other.pem" } };
        var missingSecret = _app with { PrivateKeySecretRef = new SecretKeyRef { Name = "nope", Key = "k" } };

        var keyError = await Assert.ThrowsAsync<GitCredentialsException>(() => _tokens.GetTokenAsync(Ns, missingKey, CancellationToken.None));
        var secretError = await Assert.ThrowsAsync<GitCredentialsException>(() => _tokens.GetTokenAsync(Ns, missingSecret, CancellationToken.None));

        Assert.Equal($"resolving GitHub App auth: key \"other.pem\" not found in secret {Ns}/{FakeGitHubApi.DefaultSecretName}", keyError.Message);
        Assert.Equal($"resolving GitHub App auth: key \"k\" not found in secret {Ns}/nope", secretError.Message);
        Assert.Empty(_github.Requests);
    }

    [Fact]
    public async Task GetToken_BadPem_ParsingErrorWrapped()
    {
        var app = _github.WritePrivateKeySecret(Secrets, "bad-pem", pem: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");

        var error = await Assert.ThrowsAsync<GitCredentialsException>(() => _tokens.GetTokenAsync("bad-pem", app, CancellationToken.None));

        Assert.Equal("resolving GitHub App auth: parsing PEM key: unsupported PEM block type: CERTIFICATE", error.Message);
        Assert.Empty(_github.Requests);
    }

    [Fact]
    public async Task GetToken_SameIdsAnotherKey_DoesNotGetTheCachedToken()
    {
        await _tokens.GetTokenAsync(Ns, _app, CancellationToken.None);
        using var stranger = System.Security.Cryptography.RSA.Create(2048);
        var app = _github.WritePrivateKeySecret(Secrets, "tenant-b", pem: stranger.ExportRSAPrivateKeyPem());

        var error = await Assert.ThrowsAsync<GitCredentialsException>(() => _tokens.GetTokenAsync("tenant-b", app, CancellationToken.None));

        Assert.Equal(2, _github.Requests.Count);
        Assert.Equal("A JSON web token could not be decoded", _github.Requests[1].Problem);
        Assert.Contains("GitHub API returned 401", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetToken_SameKeyInAnotherNamespace_SharesTheToken()
    {
        var first = await _tokens.GetTokenAsync(Ns, _app, CancellationToken.None);
        var app = _github.WritePrivateKeySecret(Secrets, "other-ns", name: "app-key", key: "pem");

        var second = await _tokens.GetTokenAsync("other-ns", app, CancellationToken.None);

        Assert.Equal(first.Token, second.Token);
        Assert.Equal(1, _github.Exchanges);
    }

    [Theory]
    [InlineData("http://127.0.0.1:1", "spec.git.auth.githubApp.apiBaseURL: \"http://127.0.0.1:1\": must be an absolute https URL (Stoker:GitHubApp:AllowInsecureHttp allows http) without user-info, query or fragment")]
    [InlineData("https://x-access-token:secret@github.example.com/api/v3", "spec.git.auth.githubApp.apiBaseURL: \"https://***@github.example.com/api/v3\": must be an absolute https URL (Stoker:GitHubApp:AllowInsecureHttp allows http) without user-info, query or fragment")]
    [InlineData("api.github.com", "spec.git.auth.githubApp.apiBaseURL: \"api.github.com\": must be an absolute https URL (Stoker:GitHubApp:AllowInsecureHttp allows http) without user-info, query or fragment")]
    public async Task GetToken_BadApiBaseUrl_RefusedNamingTheField(string url, string message)
    {
        var error = await Assert.ThrowsAsync<GitCredentialsException>(() => _tokens.GetTokenAsync(Ns, _app with { ApiBaseUrl = url }, CancellationToken.None));

        Assert.Equal("resolving GitHub App auth: " + message, error.Message);
    }

    [Fact]
    public async Task GetToken_NonPositiveIds_RefusedNamingTheField()
    {
        var error = await Assert.ThrowsAsync<GitCredentialsException>(() => _tokens.GetTokenAsync(Ns, _app with { InstallationId = 0 }, CancellationToken.None));

        Assert.Equal("resolving GitHub App auth: spec.git.auth.githubApp.installationId: 0: must be a positive GitHub App id", error.Message);
    }

    [Fact]
    public async Task GetToken_EndpointCertificateNotTrusted_RefusedWithTheTlsReason()
    {
        using var strict = Create(new GitHubAppOptions());

        var error = await Assert.ThrowsAsync<GitCredentialsException>(() => strict.GetTokenAsync(Ns, _app, CancellationToken.None));

        Assert.StartsWith($"resolving GitHub App auth: POST {_github.BaseUrl}app/installations/{_github.InstallationId}/access_tokens: The SSL connection could not be established", error.Message, StringComparison.Ordinal);
        Assert.Empty(_github.Requests);
    }

    [Fact]
    public async Task GetToken_EndpointHangs_TimesOutOnItsOwnDeadline()
    {
        using var tokens = Create(new GitHubAppOptions { CaFile = _github.CaFile, ExchangeTimeout = TimeSpan.FromSeconds(20) });
        _github.Hold();
        var call = tokens.GetTokenAsync(Ns, _app, CancellationToken.None);
        await Eventually.Until(() => Task.FromResult(_github.Requests.Count), n => n >= 1, TimeSpan.FromSeconds(30), "the exchange reached the endpoint");

        _time.Advance(TimeSpan.FromSeconds(20));
        var error = await Assert.ThrowsAsync<GitCredentialsException>(() => call);

        Assert.Equal($"resolving GitHub App auth: GitHub API at {_github.BaseUrl} did not answer within 20s", error.Message);
    }

    private GitHubAppTokens Create(GitHubAppOptions options) =>
        new(new FileSecretStore(Secrets), Options.Create(options), _time, _log);
}
