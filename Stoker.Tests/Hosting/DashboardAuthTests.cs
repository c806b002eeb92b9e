using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Hosting;

/// <summary>
/// Issue 11 defect 5, kept under issue 14's API authentication: every path routing maps to the dashboard — in any
/// letter case, the page and its data endpoints alike — needs a token (Bearer, or Basic with the token as the
/// password); a viewer token opens it; the open endpoints need nothing.
/// </summary>
public sealed class DashboardAuthTests : IAsyncLifetime
{
    private const string User = "anyone";

    private static readonly string Token = ApiTokens.New();

    private readonly TempDirectory _temp = new("dashboard-auth");
    private SiloProcess? _silo;

    private SiloProcess Silo => _silo ?? throw new InvalidOperationException("not started");

    public static TheoryData<string> DashboardPaths => new()
    {
        "/dashboard/", "/Dashboard/", "/DASHBOARD/", "/dAsHbOaRd/", "/dashboard/DashboardCounters",
        "/Dashboard/DashboardCounters", "/DASHBOARD/DASHBOARDCOUNTERS", "/dashboard/dashboardcounters", "/Dashboard/Reminders/1",
        "/Dashboard/ClusterStats", "/dashboard/HistoricalStats/x", "/Dashboard/index.min.js", "/DASHBOARD/INDEX.HTML", "/%64ashboard/",
        "/Dashboard/GrainStats/x", "/dashboard/TRACE", "/Dashboard/version",
    };

    /// <summary>Paths that may not even be routed to the dashboard: whatever they answer, it is not the dashboard.</summary>
    public static TheoryData<string> OddPaths => new()
    {
        "/dashboard", "/DASHBOARD", "/Dashboard%2FDashboardCounters", "/Dashboard//DashboardCounters", "/Dashboard/./DashboardCounters",
        "/x/../Dashboard/DashboardCounters", "/Dashboard/DashboardCounters/", "/DASHBOARD/nope",
    };

    public async Task InitializeAsync()
    {
        var tokens = _temp.Combine("tokens");
        await File.WriteAllTextAsync(tokens, ApiTokens.Line(Token, "dashboard-viewer", "viewer") + "\n");
        _silo = await SiloProcess.StartAsync(new SiloProcessSettings
        {
            Name = "prog",
            Environment = new Dictionary<string, string> { ["Stoker__Api__Authentication__TokensFile"] = tokens },
        });
    }

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        _temp.Dispose();
    }

    [Theory]
    [MemberData(nameof(DashboardPaths))]
    public async Task DashboardPath_AnyCase_WithoutCredentials401(string path)
    {
        foreach (var authorization in (AuthenticationHeaderValue?[])[null, Basic(User, "wrong"), Basic(Token, ""), new("Bearer", "wrong"), new("Basic", "%%%")])
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Authorization = authorization;
            using var response = await Silo.Anonymous.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized,
                $"GET {path} with {authorization?.ToString() ?? "no credentials"}: {(int)response.StatusCode} {body[..Math.Min(body.Length, 200)]}");
            Assert.Contains("Basic", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(OddPaths))]
    public async Task OddDashboardPath_WithoutCredentials_NeverServed(string path)
    {
        using var response = await Silo.Anonymous.GetAsync(new Uri(path, UriKind.Relative));
        Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.NotFound, $"GET {path}: {(int)response.StatusCode}");
    }

    [Theory]
    [InlineData("/dashboard/")]
    [InlineData("/Dashboard/")]
    [InlineData("/DASHBOARD/DashboardCounters")]
    [InlineData("/dashboard/DashboardCounters")]
    public async Task DashboardPath_WithCredentials200(string path)
    {
        foreach (var authorization in (AuthenticationHeaderValue[])[Basic(User, Token), Basic("", Token), new("Bearer", Token)])
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Authorization = authorization;
            using var response = await Silo.Anonymous.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} with {authorization.Scheme}: {(int)response.StatusCode}");
        }
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/HEALTHZ")]
    [InlineData("/metrics")]
    [InlineData("/readyz")]
    public async Task OpenEndpoints_NoCredentialsNeeded(string path)
    {
        using var response = await Silo.Anonymous.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ApplyApi_BasicWithTheToken_IsRefused_OnlyTheDashboardTakesBasic()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/apis/stoker.io/v1alpha1/gatewaysyncs");
        request.Headers.Authorization = Basic(User, Token);
        using var response = await Silo.Anonymous.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("Basic", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RetiredDashboardCredentials_StopTheSilo_NamingTheSettingAndWhatReplacesIt()
    {
        await using var silo = SiloProcess.Start(new SiloProcessSettings
        {
            Name = "retired",
            Environment = new Dictionary<string, string> { ["Stoker__Dashboard__Username"] = "admin", ["Stoker__Dashboard__Password"] = "secret" },
        });
        await Eventually.Until(() => Task.FromResult(silo.HasExited), e => e, TimeSpan.FromSeconds(60), "the silo to exit\n" + silo.Output);
        Assert.NotEqual(0, silo.ExitCode);
        Assert.Contains("Stoker:Dashboard:Username, Stoker:Dashboard:Password: no longer supported", silo.Output, StringComparison.Ordinal);
        Assert.Contains("Stoker:Api:Authentication:TokensFile", silo.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", silo.Output, StringComparison.Ordinal);
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));
}
