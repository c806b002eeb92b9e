using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Stoker.Tests.Api;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Authentication;

/// <summary>
/// Issue 14 point 3 in local mode, against a real silo process bound to loopback with a tokens file: every route
/// wants a token except the open ones; the tokens file's roles decide; the loopback admin token works; the file is
/// re-read when it changes; <c>stoker</c> finds the admin token by itself and says where it looked when refused.
/// </summary>
public sealed class ApiAuthenticationTests : IAsyncLifetime
{
    private const string Collection = "/apis/stoker.io/v1alpha1/namespaces/auth/gatewaysyncs";

    private static readonly string AdminToken = ApiTokens.New();
    private static readonly string ViewerToken = ApiTokens.New();

    private readonly TempDirectory _temp = new("api-auth");
    private readonly GitRepository _repo = GitRepository.Create();
    private SiloProcess? _silo;

    private SiloProcess Silo => _silo ?? throw new InvalidOperationException("not started");

    private string TokensFile => _temp.Combine("tokens");

    public async Task InitializeAsync()
    {
        _repo.WriteFile("projects/A/project.json", "{}");
        _repo.Commit("first");
        await File.WriteAllTextAsync(TokensFile, $"""
            # Stoker API tokens: sha256:HEX NAME ROLE

            {ApiTokens.Line(AdminToken, "ops", "admin")}
            {ApiTokens.Line(ViewerToken, "grafana", "viewer")}
            """);
        _silo = await SiloProcess.StartAsync(new SiloProcessSettings
        {
            Name = "auth",
            Environment = new Dictionary<string, string> { ["Stoker__Api__Authentication__TokensFile"] = TokensFile },
        });
    }

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        _repo.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task ApplyApi_WithoutToken_401WithChallengeAndStatus()
    {
        using var response = await SendAsync(HttpMethod.Get, Collection, null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Bearer realm=\"stoker\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("Status", (string?)status["kind"]);
        Assert.Equal("Unauthorized", (string?)status["reason"]);
        Assert.Equal(401, (int?)status["code"]);
        await AssertRefusalCountedAsync("Unauthorized");
    }

    /// <summary>Refusals are counted by reason on the open <c>/metrics</c> route.</summary>
    private async Task AssertRefusalCountedAsync(string reason)
    {
        using var metrics = await SendAsync(HttpMethod.Get, "/metrics", null);
        var text = await metrics.Content.ReadAsStringAsync();
        Assert.Matches($"(?m)^stoker_api_requests_refused_total\\{{reason=\"{reason}\"\\}} [1-9]", text);
    }

    [Fact]
    public async Task ApplyApi_WithUnknownToken_401()
    {
        foreach (var authorization in (AuthenticationHeaderValue[])[new("Bearer", "not-a-token"), new("Bearer", AdminToken + "x"), new("Token", AdminToken)])
        {
            using var response = await SendAsync(HttpMethod.Get, Collection, authorization);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Unauthorized", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["reason"]);
        }
    }

    [Fact]
    public async Task ApplyApi_ViewerToken_ReadsButCannotWrite403()
    {
        using (var list = await SendAsync(HttpMethod.Get, Collection, Bearer(ViewerToken)))
        {
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        }

        using var create = await SendAsync(HttpMethod.Post, Collection, Bearer(ViewerToken), Manifests.GatewaySync("viewer-made", "auth", _repo.Path));
        var body = await create.Content.ReadAsStringAsync();
        Assert.True(create.StatusCode == HttpStatusCode.Forbidden, $"{(int)create.StatusCode} {body}");
        var status = JsonNode.Parse(body)!;
        Assert.Equal("Forbidden", (string?)status["reason"]);
        Assert.Equal(
            "gatewaysyncs.stoker.io is forbidden: User \"grafana\" cannot create resource \"gatewaysyncs\" in API group \"stoker.io\" in the namespace \"auth\" "
            + "(the token's role is viewer: a viewer may get, list and watch GatewaySyncs and Events, read discovery, and open the dashboard)",
            (string?)status["message"]);

        using var delete = await SendAsync(HttpMethod.Delete, Collection + "/anything", Bearer(ViewerToken));
        Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        await AssertRefusalCountedAsync("Forbidden");
    }

    [Fact]
    public async Task ApplyApi_AdminTokens_FromTheFileAndTheStateFolder_200()
    {
        using (var created = await SendAsync(HttpMethod.Post, Collection, Bearer(AdminToken), Manifests.GatewaySync("admin-made", "auth", _repo.Path)))
        {
            Assert.True(created.StatusCode == HttpStatusCode.Created, $"{(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
        }

        // The loopback silo wrote its own admin token, owner-only, and takes it.
        var adminFile = Path.Join(Silo.StatePath, "admin.token");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(adminFile));
        }

        var generated = (await File.ReadAllTextAsync(adminFile)).Trim();
        Assert.Equal(64, generated.Length);
        using (var read = await SendAsync(HttpMethod.Get, Collection + "/admin-made", Bearer(generated)))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        using var deleted = await SendAsync(HttpMethod.Delete, Collection + "/admin-made", Bearer(generated));
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.DoesNotContain(generated, Silo.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(AdminToken, Silo.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/metrics")]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    [InlineData("/Healthz")]
    public async Task OpenRoutes_WithoutToken_Served(string path)
    {
        using var response = await SendAsync(HttpMethod.Get, path, null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/apis/other.io/v1/things")]
    [InlineData("/healthz/x")]
    [InlineData("/nothing-here")]
    public async Task OtherRoutes_EvenUnmapped_WantATokenAndAnAdmin(string path)
    {
        using (var anonymous = await SendAsync(HttpMethod.Get, path, null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using (var viewer = await SendAsync(HttpMethod.Get, path, Bearer(ViewerToken)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, viewer.StatusCode);
        }

        using var admin = await SendAsync(HttpMethod.Get, path, Bearer(AdminToken));
        Assert.Equal(HttpStatusCode.NotFound, admin.StatusCode);
    }

    [Fact]
    public async Task Webhook_KeepsItsOwnRules_NoApiTokenAsked()
    {
        using var response = await SendAsync(HttpMethod.Post, "/webhook/auth/nothing", null, "{}");
        // Its own answer (no such resource, or an unsigned request), never the API's challenge.
        Assert.DoesNotContain("Bearer realm", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokensFile_Changed_IsReadAgain_NewTokenIn_RemovedTokenOut()
    {
        var rotated = ApiTokens.New();
        var original = await File.ReadAllTextAsync(TokensFile);
        try
        {
            await File.WriteAllTextAsync(TokensFile, ApiTokens.Line(rotated, "rotated", "viewer") + "\n" + ApiTokens.Line(AdminToken, "ops", "admin") + "\n");
            await Eventually.Until(async () =>
            {
                using var r = await SendAsync(HttpMethod.Get, Collection, Bearer(rotated));
                return r.StatusCode;
            }, s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "the new token taken");
            using var removed = await SendAsync(HttpMethod.Get, Collection, Bearer(ViewerToken));
            Assert.Equal(HttpStatusCode.Unauthorized, removed.StatusCode);

            // A broken file is logged and the last good tokens stay.
            await File.WriteAllTextAsync(TokensFile, "sha256:nothex rotated viewer\n");
            // The file is looked at when a request comes: each probe is one.
            await Eventually.Until(async () =>
            {
                using var r = await SendAsync(HttpMethod.Get, Collection, Bearer(rotated));
                Assert.Equal(HttpStatusCode.OK, r.StatusCode);
                return Silo.Output;
            }, o => o.Contains("line 1: the hash must be sha256: and 64 hex digits", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the broken file reported");
            using var kept = await SendAsync(HttpMethod.Get, Collection, Bearer(rotated));
            Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
        }
        finally
        {
            await File.WriteAllTextAsync(TokensFile, original);
            await Eventually.Until(async () =>
            {
                using var r = await SendAsync(HttpMethod.Get, Collection, Bearer(ViewerToken));
                return r.StatusCode;
            }, s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "the original tokens back");
        }
    }

    [Fact]
    public async Task StokerGet_FindsTheAdminTokenOfALoopbackSilo_OrTakesOne_AndSaysWhereItLookedWhenRefused()
    {
        // With the silo's state folder: the admin token is found without being given.
        var found = await CliProcess.RunAsync(Silo.Address, ["get", "gs", "-n", "auth"], statePath: Silo.StatePath);
        Assert.True(found.ExitCode == 0, found.Stdout + found.Stderr);

        // Given explicitly, by option, file or environment.
        var byOption = await CliProcess.RunAsync(Silo.Address, ["get", "gs", "-n", "auth", "--token", ViewerToken]);
        Assert.True(byOption.ExitCode == 0, byOption.Stderr);
        var tokenFile = _temp.Combine("viewer.token");
        await File.WriteAllTextAsync(tokenFile, ViewerToken + "\n");
        var byFile = await CliProcess.RunAsync(Silo.Address, ["get", "gs", "-n", "auth", "--token-file", tokenFile]);
        Assert.True(byFile.ExitCode == 0, byFile.Stderr);
        var byEnvironment = await CliProcess.RunAsync(Silo.Address, ["get", "gs", "-n", "auth"], environmentToken: ViewerToken);
        Assert.True(byEnvironment.ExitCode == 0, byEnvironment.Stderr);

        // Without any token: refused, and told where it looked.
        var none = await CliProcess.RunAsync(Silo.Address, ["get", "gs", "-n", "auth"]);
        Assert.Equal(1, none.ExitCode);
        Assert.Contains("Error from server (Unauthorized)", none.Stderr, StringComparison.Ordinal);
        Assert.Contains("none was found (looked at --token, --token-file, $STOKER_TOKEN, ", none.Stderr, StringComparison.Ordinal);
        Assert.Contains("admin.token", none.Stderr, StringComparison.Ordinal);

        var wrong = await CliProcess.RunAsync(Silo.Address, ["get", "gs", "-n", "auth"], environmentToken: "wrong");
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("the server did not accept the token from $STOKER_TOKEN", wrong.Stderr, StringComparison.Ordinal);

        // A viewer applying: 403, said so.
        var manifest = _temp.Combine("gs.yaml");
        await File.WriteAllTextAsync(manifest, Manifests.GatewaySync("cli-viewer", "auth", _repo.Path));
        var forbidden = await CliProcess.RunAsync(Silo.Address, ["apply", "-f", manifest], environmentToken: ViewerToken);
        Assert.Equal(1, forbidden.ExitCode);
        Assert.Contains("Error from server (Forbidden)", forbidden.Stderr, StringComparison.Ordinal);
        Assert.Contains("the token from $STOKER_TOKEN is known to the server but not allowed to do this", forbidden.Stderr, StringComparison.Ordinal);
    }

    private static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, AuthenticationHeaderValue? authorization, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = authorization;
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/yaml");
        }

        return await Silo.Anonymous.SendAsync(request);
    }
}
