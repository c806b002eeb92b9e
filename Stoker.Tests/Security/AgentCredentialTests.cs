using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Stoker.AgentClient.Control;
using Stoker.Grains.Interfaces.Grains;
using Stoker.Grains.Interfaces.Messages;
using Stoker.Silo.Security;
using Stoker.Tests.Api;
using Stoker.Tests.ControlPlane;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Security;

/// <summary>
/// Issue 14, point 2, against the real <c>stoker-silo</c> process: an Orleans client may call only the agent interface,
/// only on the gateway its credential names, and only with a valid, unexpired, unrevoked token; every refusal is
/// counted in <c>stoker_agent_calls_refused_total{reason}</c>.
/// </summary>
public sealed class AgentCredentialTests
{
    private const string GatewayA = "plant/site/gw-a";
    private const string GatewayB = "plant/site/gw-b";

    [Fact]
    public async Task OrleansClient_PerCallCredential_OnlyItsOwnGatewaysAgentMethods_RevokedExpiredForeignRefused()
    {
        await using var silo = await SiloProcess.StartAsync(new SiloProcessSettings
        {
            Name = "creds",
            Environment = new Dictionary<string, string> { ["Stoker__Security__RevocationRefreshInterval"] = "00:00:01" },
        });
        string? credential = null;
        await using var client = await AgentClientHost.StartAsync(silo.GatewayPort, silo.ClusterId, silo.ServiceId, silo.CaFile, credential: _ => credential);
        var inbox = new DesiredStateInbox(Serializers.DesiredState);
        var observer = client.Client.CreateObjectReference<IGatewayObserver>(inbox);
        var a = client.Client.GetGrain<IGatewayAgentGrain>(GatewayA);
        var b = client.Client.GetGrain<IGatewayAgentGrain>(GatewayB);
        var registration = new AgentRegistration { AgentId = "agent-a", AgentVersion = "test", PodName = "gw-a-0" };
        var report = new SyncReport { DesiredVersion = 0, SyncStatus = SyncStatus.Synced, AgentVersion = "test" };

        // No credential: nothing, not even the agent interface.
        await AssertRefusedAsync(() => a.Register(registration, observer, null), "no_credential");
        await AssertRefusedAsync(() => a.Report("", report), "no_credential");
        await AssertRefusedAsync(() => client.Client.GetGrain<IGatewaySyncGrain>("plant/site").Get(), "not_agent_method");

        // Gateway A's token: register, heartbeat and report for A; nothing else.
        var minted = await MintAsync(silo, GatewayA);
        credential = minted.Token;
        var session = await a.Register(registration, observer, null);
        Assert.True(await a.Heartbeat(session.Token, observer) >= 0);
        await a.Report(session.Token, report);
        await AssertRefusedAsync(() => b.Register(registration with { PodName = "gw-b-0" }, observer, null), "wrong_gateway", $"stands for gateway {GatewayA}, not {GatewayB}");
        await AssertRefusedAsync(() => b.Report("", report), "wrong_gateway");
        await AssertRefusedAsync(() => client.Client.GetGrain<IGatewaySyncGrain>("plant/site").Delete(), "not_agent_method");
        await AssertRefusedAsync(() => client.Client.GetGrain<IGatewayGrain>(GatewayA).GetSnapshot(), "not_agent_method");
        await AssertRefusedAsync(() => client.Client.GetGrain<IGatewayGrain>(GatewayA).Publish(new Release()), "not_agent_method", expectAnswer: false);
        await AssertRefusedAsync(() => client.Client.GetGrain<IAgentTokensGrain>(IAgentTokensGrain.AllKey).GetRevocations(), "not_agent_method");

        // Signed with another key, expired: refused whatever gateway they name.
        using var other = new TempDirectory("other-key");
        var foreignKey = Path.Join(other.Path, "agent-token.key");
        AgentTokenKey.LoadOrCreate(foreignKey);
        credential = AgentTokenFiles.Mint(foreignKey, GatewayA).Token;
        await AssertRefusedAsync(() => a.Heartbeat(session.Token, observer), "invalid_credential", "signature does not match");
        var keyFile = Stoker.Grains.Interfaces.Security.StokerStateFolder.AgentTokenKeyFile(silo.StatePath);
        credential = AgentTokenFiles.Mint(keyFile, GatewayA, TimeSpan.FromMinutes(1), TimeProvider.System.GetUtcNow().AddMinutes(-2)).Token;
        await AssertRefusedAsync(() => a.Heartbeat(session.Token, observer), "expired", "expired at");

        // Revoked through the API: refused at once (the silo that revoked applies it immediately).
        credential = minted.Token;
        Assert.True(await a.Heartbeat(session.Token, observer) >= 0);
        using (var revoke = await silo.Http.DeleteAsync(new Uri($"/api/v1/agent-tokens/{minted.Id}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        }

        await AssertRefusedAsync(() => a.Heartbeat(session.Token, observer), "revoked", $"the agent token {minted.Id} for gateway {GatewayA} was revoked");
        using (var again = await silo.Http.DeleteAsync(new Uri("/api/v1/agent-tokens/0123456789abcdef0123456789abcdef", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        }

        var metrics = await silo.GetStringAsync("/metrics");
        foreach (var reason in new[] { "no_credential", "not_agent_method", "wrong_gateway", "invalid_credential", "expired", "revoked" })
        {
            Assert.True(Counter(metrics, reason) >= 1, $"{AgentCallMetrics.RefusedTotalName}{{reason=\"{reason}\"}} in\n{metrics}");
        }

        Assert.Equal(2, Counter(metrics, "no_credential"));
        Assert.DoesNotContain(minted.Token, silo.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AgentProcess_OtherGatewaysToken_Refused_TokenFileReplaced_Registers()
    {
        using var temp = new TempDirectory("agent-creds");
        await using var silo = await SiloProcess.StartAsync(new SiloProcessSettings { Name = "agentcreds" });
        await using var simulator = await Stoker.IgnitionSimulator.GatewaySimulator.StartAsync(
            new Stoker.IgnitionSimulator.IgnitionSimulatorOptions { ApiToken = "stoker:secret", Urls = [new Uri("http://127.0.0.1:0")] });
        var apiKey = temp.Combine("api-key");
        await File.WriteAllTextAsync(apiKey, "stoker:secret");
        var tokenFile = await silo.MintAgentTokenFileAsync(GatewayB, temp.Combine("agent-token"));
        await using var agent = AgentRuntime.AgentProcessHost.Start(new Dictionary<string, string>
        {
            ["CR_NAME"] = "site",
            ["CR_NAMESPACE"] = "plant",
            ["POD_NAME"] = "gw-a-0",
            ["GATEWAY_NAME"] = "gw-a",
            ["REPO_PATH"] = temp.Combine("work"),
            ["GATEWAY_PORT"] = simulator.BaseUrl.Port.ToString(CultureInfo.InvariantCulture),
            ["API_KEY_FILE"] = apiKey,
            ["AGENT_TOKEN_FILE"] = tokenFile,
            ["SILO_ENDPOINTS"] = "127.0.0.1:" + silo.GatewayPort.ToString(CultureInfo.InvariantCulture),
            ["SILO_CA_FILE"] = silo.CaFile,
            ["ORLEANS_CLUSTER_ID"] = silo.ClusterId,
            ["ORLEANS_SERVICE_ID"] = silo.ServiceId,
            ["HEARTBEAT_INTERVAL"] = "1",
        }, temp.Combine("data"));

        await Eventually.Until(() => Task.FromResult(agent.Output), o => o.Contains("wrong_gateway", StringComparison.Ordinal), TimeSpan.FromSeconds(60),
            $"the agent told its registration was refused\n--- agent ---\n{agent.Output}\n--- silo ---\n{silo.Output}");
        Assert.Equal(0, await agent.MetricAsync("stoker_agent_control_plane_connected") ?? 0);

        // The right token, written over the file: the agent reads it again and gets in (a rotated token is picked up).
        await silo.MintAgentTokenFileAsync(GatewayA, tokenFile);
        await Eventually.Until(() => agent.MetricAsync("stoker_agent_control_plane_connected"), v => v == 1, TimeSpan.FromSeconds(60),
            $"the agent registered with its own token\n--- agent ---\n{agent.Output}\n--- silo ---\n{silo.Output}");
        Assert.Contains("refused (wrong_gateway)", silo.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MintEndpoint_BadRequests_NameFieldValueAndRule()
    {
        await using var silo = await SiloProcess.StartAsync(new SiloProcessSettings { Name = "mint" });

        Assert.Equal((400, "gateway: \"plant/site\": must be NAMESPACE/NAME/GATEWAY (three segments separated by '/')"), await PostAsync(silo, """{"gateway":"plant/site"}"""));
        Assert.Equal(400, (await PostAsync(silo, """{"gateway":"plant/Site/gw"}""")).Status);
        Assert.Contains("the name \"Site\" must be a lowercase RFC 1123 subdomain", (await PostAsync(silo, """{"gateway":"plant/Site/gw"}""")).Message, StringComparison.Ordinal);
        Assert.Equal((400, "gateway: \"\": Required value: NAMESPACE/NAME/GATEWAY"), await PostAsync(silo, "{}"));
        Assert.Equal((400, "ttl: \"100000h\": must be a duration such as 720h or 90m, between 1m0s and 8760h0m0s"),
            await PostAsync(silo, """{"gateway":"plant/site/gw","ttl":"100000h"}"""));
        Assert.Equal((400, "ttl: \"soon\": must be a duration such as 720h or 90m, between 1m0s and 8760h0m0s"),
            await PostAsync(silo, """{"gateway":"plant/site/gw","ttl":"soon"}"""));
        Assert.Equal((400, "owner: unknown field (known: gateway, ttl)"), await PostAsync(silo, """{"gateway":"plant/site/gw","owner":"x"}"""));
        Assert.Equal(400, (await PostAsync(silo, "[1,2")).Status);
        using var badId = await silo.Http.DeleteAsync(new Uri("/api/v1/agent-tokens/NOT-AN-ID", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, badId.StatusCode);

        using var created = await silo.Http.PostAsync(new Uri("/api/v1/agent-tokens", UriKind.Relative),
            new StringContent("""{"gateway":"plant/site/gw","ttl":"720h"}""", Encoding.UTF8, "application/json"));
        var body = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("plant/site/gw", body["gateway"]!.GetValue<string>());
        var expires = DateTimeOffset.Parse(body["expiresAt"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        Assert.InRange(expires - TimeProvider.System.GetUtcNow(), TimeSpan.FromHours(719), TimeSpan.FromHours(721));
        Assert.Equal(body["id"]!.GetValue<string>(), AgentTokenCodec.ReadId(body["token"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Cli_AgentTokenCreateAndRevoke_TokenAloneOnStdout_RevokeByToken()
    {
        await using var silo = await SiloProcess.StartAsync(new SiloProcessSettings { Name = "cli-tokens" });

        var created = await CliProcess.RunAsync(silo.Address, ["agent-token", "create", "--gateway", GatewayA, "--ttl", "2h"], statePath: silo.StatePath);
        Assert.True(created.ExitCode == 0, created.Stdout + created.Stderr);
        var token = created.Stdout.Trim();
        Assert.Equal(3, token.Split('.').Length);
        var id = AgentTokenCodec.ReadId(token)!;
        Assert.Contains($"agent token {id} for gateway {GatewayA}, expires ", created.Stderr, StringComparison.Ordinal);

        var revoked = await CliProcess.RunAsync(silo.Address, ["agent-token", "revoke", token], statePath: silo.StatePath);
        Assert.True(revoked.ExitCode == 0, revoked.Stdout + revoked.Stderr);
        Assert.Equal($"agent token {id} for gateway {GatewayA} revoked", revoked.Stdout.Trim());

        var unknown = await CliProcess.RunAsync(silo.Address, ["agent-token", "revoke", "0123456789abcdef0123456789abcdef"], statePath: silo.StatePath);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("Error from server (NotFound): agent token \"0123456789abcdef0123456789abcdef\" not found", unknown.Stderr, StringComparison.Ordinal);

        var bad = await CliProcess.RunAsync(silo.Address, ["agent-token", "create", "--gateway", "plant/site"], statePath: silo.StatePath);
        Assert.Equal(1, bad.ExitCode);
        Assert.Equal("", bad.Stdout);
        Assert.Contains("gateway: \"plant/site\": must be NAMESPACE/NAME/GATEWAY", bad.Stderr, StringComparison.Ordinal);
    }

    private static async Task<MintedAgentToken> MintAsync(SiloProcess silo, string gateway)
    {
        using var response = await silo.Http.PostAsync(new Uri("/api/v1/agent-tokens", UriKind.Relative),
            new StringContent(new JsonObject { ["gateway"] = gateway }.ToJsonString(), Encoding.UTF8, "application/json"));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return new MintedAgentToken(body["id"]!.GetValue<string>(), body["token"]!.GetValue<string>(), body["gateway"]!.GetValue<string>(),
            DateTimeOffset.Parse(body["expiresAt"]!.GetValue<string>(), CultureInfo.InvariantCulture));
    }

    private static async Task<(int Status, string Message)> PostAsync(SiloProcess silo, string json)
    {
        using var response = await silo.Http.PostAsync(new Uri("/api/v1/agent-tokens", UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonNode.Parse(text)?["message"]?.GetValue<string>() ?? text);
    }

    /// <summary>A call the silo refuses answers with the reason at once; a one-way call is refused silently, so its refusal is read from the metric.</summary>
    private static async Task AssertRefusedAsync(Func<Task> call, string reason, string? detail = null, bool expectAnswer = true)
    {
        if (!expectAnswer)
        {
            await call();
            return;
        }

        var error = await Assert.ThrowsAsync<CallRefusedException>(call);
        Assert.Contains($"refused ({reason})", error.Message, StringComparison.Ordinal);
        if (detail is not null)
        {
            Assert.Contains(detail, error.Message, StringComparison.Ordinal);
        }
    }

    private static double Counter(string metrics, string reason)
    {
        var prefix = $"{AgentCallMetrics.RefusedTotalName}{{reason=\"{reason}\"}} ";
        var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[prefix.Length..], CultureInfo.InvariantCulture);
    }
}
