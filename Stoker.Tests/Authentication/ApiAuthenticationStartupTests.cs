using System.Globalization;
using System.Net;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Authentication;

/// <summary>
/// What the silo process decides before it listens: a reachable address without a token source, a bad tokens file
/// and <c>Mode=None</c> without consent each stop it with a message naming the setting; consent is a logged warning.
/// </summary>
public sealed class ApiAuthenticationStartupTests : IDisposable
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _temp = new("api-auth-start");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task NonLoopbackBind_WithoutTokenSource_ExitsNonZero_NamingTheSetting()
    {
        await using var silo = SiloProcess.Start(Settings("open", new() { ["Kestrel__Endpoints__Public__Url"] = $"http://0.0.0.0:{FreePort.Next()}" }));
        await WaitForExitAsync(silo);
        Assert.NotEqual(0, silo.ExitCode);
        Assert.Contains("which other machines can reach, and no API token source is set", silo.Output, StringComparison.Ordinal);
        Assert.Contains("Stoker:Api:Authentication:TokensFile", silo.Output, StringComparison.Ordinal);
        Assert.Contains("Stoker:Api:Authentication:AllowAnonymous=true", silo.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Join(silo.StatePath, "admin.token")), "no admin token for a reachable silo");
    }

    [Fact]
    public async Task NonLoopbackBind_AllowAnonymous_ServesOpen_WithAWarning()
    {
        var port = FreePort.Next();
        await using var silo = SiloProcess.Start(Settings("anonymous", new()
        {
            ["Kestrel__Endpoints__Public__Url"] = $"http://0.0.0.0:{port.ToString(CultureInfo.InvariantCulture)}",
            ["Stoker__Api__Authentication__AllowAnonymous"] = "true",
        }));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"), Timeout = TimeSpan.FromSeconds(10) };
        var status = await Eventually.Until(async () =>
        {
            try
            {
                using var response = await http.GetAsync(new Uri("/apis/stoker.io/v1alpha1/gatewaysyncs", UriKind.Relative));
                return response.StatusCode;
            }
            catch (HttpRequestException)
            {
                return (HttpStatusCode)0;
            }
        }, s => s != 0 || silo.HasExited, TimeSpan.FromSeconds(120), "the silo answering\n" + silo.Output);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("API authentication is off: anyone who reaches http://0.0.0.0:", silo.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadTokensFile_ExitsNonZero_NamingEachBadLineAndItsRule()
    {
        var file = _temp.Combine("tokens");
        await File.WriteAllTextAsync(file, $"""
            # comment
            {ApiTokens.Line(ApiTokens.New(), "fine", "admin")}
            plain-token-by-mistake someone admin
            {ApiTokens.Line(ApiTokens.New(), "boss", "root")}
            sha256:abc short viewer
            """);
        await using var silo = SiloProcess.Start(Settings("bad-file", new() { ["Stoker__Api__Authentication__TokensFile"] = file }));
        await WaitForExitAsync(silo);
        Assert.NotEqual(0, silo.ExitCode);
        Assert.Contains("line 3: the first field must start with \"sha256:\"", silo.Output, StringComparison.Ordinal);
        Assert.Contains("line 4: role \"root\": must be admin or viewer", silo.Output, StringComparison.Ordinal);
        Assert.Contains("line 5: the hash must be sha256: and 64 hex digits", silo.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("plain-token-by-mistake", silo.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModeNone_WithoutAllowAnonymous_ExitsNonZero()
    {
        await using var silo = SiloProcess.Start(Settings("none", new() { ["Stoker__Api__Authentication__Mode"] = "None" }));
        await WaitForExitAsync(silo);
        Assert.NotEqual(0, silo.ExitCode);
        Assert.Contains("Stoker:Api:Authentication:Mode: None: lets anyone call every route", silo.Output, StringComparison.Ordinal);
    }

    private static SiloProcessSettings Settings(string name, Dictionary<string, string> environment) => new() { Name = name, Environment = environment };

    private static async Task WaitForExitAsync(SiloProcess silo) =>
        await Eventually.Until(() => Task.FromResult(silo.HasExited), e => e, ExitTimeout, $"{silo.Name} to exit\n{silo.Output}");
}
