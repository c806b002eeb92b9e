using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Hosting;

/// <summary>
/// Issue 11 defect 5: with a dashboard user and password set, every path routing maps to the dashboard — in any
/// letter case, the page and its data endpoints alike — needs the credentials; the silo's other endpoints do not.
/// </summary>
public sealed class DashboardAuthTests : IAsyncLifetime
{
    private const string User = "admin";
    private const string Password = "dashboard-password";
    private const string Token = "dashboard-token";

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

    public async Task InitializeAsync() => _silo = await SiloProcess.StartAsync(new SiloProcessSettings
    {
        Name = "prog",
        Environment = new Dictionary<string, string>
        {
            ["Stoker__Dashboard__Username"] = User,
            ["Stoker__Dashboard__Password"] = Password,
            ["Stoker__Dashboard__BearerToken"] = Token,
        },
    });

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
    }

    [Theory]
    [MemberData(nameof(DashboardPaths))]
    public async Task DashboardPath_AnyCase_WithoutCredentials401(string path)
    {
        foreach (var authorization in (AuthenticationHeaderValue?[])[null, Basic(User, "wrong"), Basic("ADMIN", Password), new("Bearer", "wrong"), new("Basic", "%%%")])
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Authorization = authorization;
            using var response = await Silo.Http.SendAsync(request);
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
        using var response = await Silo.Http.GetAsync(new Uri(path, UriKind.Relative));
        Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.NotFound, $"GET {path}: {(int)response.StatusCode}");
    }

    [Theory]
    [InlineData("/dashboard/")]
    [InlineData("/Dashboard/")]
    [InlineData("/DASHBOARD/DashboardCounters")]
    [InlineData("/dashboard/DashboardCounters")]
    public async Task DashboardPath_WithCredentials200(string path)
    {
        foreach (var authorization in (AuthenticationHeaderValue[])[Basic(User, Password), new("Bearer", Token)])
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Authorization = authorization;
            using var response = await Silo.Http.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} with {authorization.Scheme}: {(int)response.StatusCode}");
        }
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/HEALTHZ")]
    [InlineData("/metrics")]
    [InlineData("/apis/stoker.io/v1alpha1/gatewaysyncs")]
    public async Task OtherEndpoints_NoDashboardCredentialsNeeded(string path) =>
        Assert.Equal(200, await Silo.StatusAsync(path));

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));
}
