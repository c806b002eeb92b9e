using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Stoker.AgentClient.Ignition;
using Stoker.IgnitionSimulator;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Ignition;

public sealed class GatewaySimulatorTests
{
    [Fact]
    public async Task Routes_WithoutToken_Answer401ButGwInfoAnswers()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var http = new HttpClient { BaseAddress = gateway.BaseUrl };

        using var scan = await http.PostAsync(new Uri("data/api/v1/scan/projects", UriKind.Relative), null);
        using var designers = await http.GetAsync(new Uri("data/api/v1/designers", UriKind.Relative));
        var gwinfo = await http.GetStringAsync(new Uri("system/gwinfo", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, scan.StatusCode);
        Assert.Contains("HTTP ERROR 401 Unauthorized", await scan.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, designers.StatusCode);
        Assert.StartsWith("ContextStatus=RUNNING;PlatformName=Ignition-simulator;Version=8.3.", gwinfo, StringComparison.Ordinal);
        Assert.All(gateway.Control.Calls, c => Assert.False(c.Authorized));
    }

    [Fact]
    public async Task DataDir_WithListProjects_ListsProjectFoldersInGatewayInfoAndScans()
    {
        using var data = new TempDirectory("ignition-data");
        Directory.CreateDirectory(data.Combine("projects", "Beta"));
        Directory.CreateDirectory(data.Combine("projects", "Alpha"));
        await using var gateway = await TestGateway.StartAsync(dataDir: data.Path);
        using var http = new HttpClient { BaseAddress = gateway.BaseUrl };
        http.DefaultRequestHeaders.Add(IgnitionClient.ApiTokenHeader, TestGateway.Token);

        var plain = await http.GetFromJsonAsync<JsonElement>(new Uri("data/api/v1/gateway-info", UriKind.Relative));
        gateway.Control.SetListProjects(true);
        var listed = await http.GetFromJsonAsync<JsonElement>(new Uri("data/api/v1/gateway-info", UriKind.Relative));
        using var scan = await http.PostAsync(new Uri("data/api/v1/scan/projects", UriKind.Relative), null);
        var scanned = await scan.Content.ReadFromJsonAsync<JsonElement>();

        Assert.False(plain.TryGetProperty("projects", out _));
        Assert.Equal("standard", plain.GetProperty("edition").GetString());
        Assert.Equal(["Alpha", "Beta"], listed.GetProperty("projects").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(["Alpha", "Beta"], scanned.GetProperty("projects").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public async Task ControlOverHttp_ChangesBehaviourAndListsCalls()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var http = new HttpClient { BaseAddress = gateway.BaseUrl };
        using var client = TestGateway.Client(gateway);

        using var set = await PostControl(http, """
            {"clearCalls": true, "designerSessions": [{"user": "alice", "project": "P"}], "failScans": {"status": 500, "target": "config"}}
            """);
        var sessions = await client.GetDesignerSessionsAsync();
        var scan = await client.ScanAsync();
        using var starting = await PostControl(http, """{"starting": true}""");
        var health = await client.HealthCheckAsync();
        using var reset = await PostControl(http, """{"reset": true}""");
        var calls = await http.GetFromJsonAsync<JsonElement>(new Uri("_sim/calls", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal("alice on P", Assert.Single(sessions).ToString());
        Assert.Equal("error: scan/config: after 3 retries: HTTP 500", scan.ToString());
        Assert.Equal(503, health.StatusCode);
        Assert.False(gateway.Control.IsStarting);
        Assert.Empty(gateway.Control.State.DesignerSessions);
        Assert.Equal(
            ["GET /data/api/v1/designers 200", "POST /data/api/v1/scan/projects 200", "POST /data/api/v1/scan/config 500",
             "POST /data/api/v1/scan/config 500", "POST /data/api/v1/scan/config 500", "GET /data/api/v1/gateway-info 503"],
            calls.EnumerateArray().Select(c => $"{c.GetProperty("method").GetString()} {c.GetProperty("path").GetString()} {c.GetProperty("status").GetInt32()}"));
        Assert.All(calls.EnumerateArray(), c => Assert.True(c.GetProperty("authorized").GetBoolean()));
    }

    [Fact]
    public async Task ControlOverHttp_InvalidRequest_Answers400NamingEachKeyAndChangesNothing()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var http = new HttpClient { BaseAddress = gateway.BaseUrl };

        using var response = await PostControl(http, """
            {"delayMs": -5, "failScans": {"status": 42}, "designerSessions": [{"user": "alice"}], "starting": "yes", "colour": "blue"}
            """);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(
            [
                "colour: unknown setting (known: reset, clearCalls, failScans, delayMs, designerSessions, starting, startingForMs, listProjects, forbidToken)",
                "failScans.status: 42: must be an integer >= 100",
                "delayMs: -5: must be an integer >= 0",
                "designerSessions[0].project: required",
                "starting: \"yes\": must be true or false",
            ],
            body.GetProperty("errors").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(0, gateway.Control.State.DelayMs);
        Assert.Empty(gateway.Control.State.DesignerSessions);
    }

    [Fact]
    public async Task Process_StartedOnItsOwn_AnswersAndListsCallsOverHttp()
    {
        await using var simulator = await SimulatorProcess.StartAsync("--api-token", TestGateway.Token);
        using var client = IgnitionClient.Create(TestGateway.Options(simulator.BaseUrl));
        using var http = new HttpClient { BaseAddress = simulator.BaseUrl };

        var scan = await client.ScanAsync();
        var calls = await http.GetFromJsonAsync<JsonElement>(new Uri("_sim/calls", UriKind.Relative));

        Assert.True(scan.Succeeded, scan.ToString());
        Assert.Equal(
            ["POST /data/api/v1/scan/projects True 200", "POST /data/api/v1/scan/config True 200"],
            calls.EnumerateArray().Select(c => $"{c.GetProperty("method").GetString()} {c.GetProperty("path").GetString()} {c.GetProperty("authorized").GetBoolean()} {c.GetProperty("status").GetInt32()}"));
    }

    [Fact]
    public async Task Process_TokenFromEnvironmentAndStartingForever_Answers503UntilToldOtherwise()
    {
        using var temp = new TempDirectory("sim-token");
        var tokenFile = temp.Combine("token");
        await File.WriteAllTextAsync(tokenFile, TestGateway.Token + "\n");
        await using var simulator = await SimulatorProcess.StartAsync("--api-token-file", tokenFile, "--starting-for", "forever");
        using var client = IgnitionClient.Create(TestGateway.Options(simulator.BaseUrl));
        using var http = new HttpClient { BaseAddress = simulator.BaseUrl };

        var starting = await client.PortCheckAsync();
        using var running = await PostControl(http, """{"starting": false}""");
        var up = await client.PortCheckAsync();
        var health = await client.HealthCheckAsync();

        Assert.Equal(503, starting.StatusCode);
        Assert.True(up.IsUp, up.ToString());
        Assert.True(health.IsHealthy, health.ToString());
    }

    [Fact]
    public async Task Process_InvalidOptions_ExitsNamingEachOption()
    {
        var (exitCode, stderr) = await SimulatorProcess.RunAsync(
            "--api-token", "no-colon", "--urls", "ftp://127.0.0.1:21", "--starting-for", "later", "--data-dir", "/nonexistent/stoker");

        Assert.Equal(SimulatorCommandLine.InvalidOptions, exitCode);
        Assert.Contains("error: --starting-for (IGNITION_SIM_STARTING_FOR): \"later\": must be a positive duration", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("no-colon", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_ValidButConflictingOptions_ExitsNamingEachOption()
    {
        var (exitCode, stderr) = await SimulatorProcess.RunAsync("--api-token", "no-colon", "--urls", "ftp://127.0.0.1:2121", "--data-dir", "/nonexistent/stoker");

        Assert.Equal(SimulatorCommandLine.InvalidOptions, exitCode);
        Assert.Contains("error: --api-token: \"<redacted>\": must be an Ignition API key in the form name:secret", stderr, StringComparison.Ordinal);
        Assert.Contains("error: --data-dir: \"/nonexistent/stoker\": directory does not exist", stderr, StringComparison.Ordinal);
        Assert.Contains("error: --urls: \"ftp://127.0.0.1:2121/\": must be an absolute http:// or https:// address", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_NoToken_ExitsNamingTheOption()
    {
        var (exitCode, stderr) = await SimulatorProcess.RunAsync();

        Assert.Equal(SimulatorCommandLine.InvalidOptions, exitCode);
        Assert.Contains("error: --api-token (IGNITION_SIM_API_TOKEN) or --api-token-file (IGNITION_SIM_API_TOKEN_FILE): required", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_PortInUse_ExitsNamingUrls()
    {
        await using var gateway = await TestGateway.StartAsync();

        var (exitCode, stderr) = await SimulatorProcess.RunAsync("--api-token", TestGateway.Token, "--urls", gateway.BaseUrl.ToString());

        Assert.Equal(SimulatorCommandLine.StartFailed, exitCode);
        Assert.StartsWith("error: --urls: cannot listen: ", stderr, StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> PostControl(HttpClient http, string json) =>
        http.PostAsync(new Uri("_sim/control", UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));
}
