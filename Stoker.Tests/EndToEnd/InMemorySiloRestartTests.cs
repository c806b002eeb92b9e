using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Stoker.IgnitionSimulator;
using Stoker.Tests.Api;
using Stoker.Tests.AgentRuntime;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.EndToEnd;

/// <summary>
/// Issue 11, defect 6: a silo in memory mode is killed and restarted; its desired-state versions start again at 1
/// while a running agent still holds a higher one. The agent must converge anyway.
/// </summary>
public sealed class InMemorySiloRestartTests
{
    private const string Namespace = "restart";
    private const string CrName = "site";
    private const string Token = "stoker:restart-token";
    private const string Secret = "restart-hmac-secret";
    private const string ResourcePath = $"/apis/stoker.io/v1alpha1/namespaces/{Namespace}/gatewaysyncs/{CrName}";

    private static readonly Dictionary<string, string> SiloEnvironment = new() { ["Stoker__Webhook__HmacSecret"] = Secret };

    [Fact]
    public async Task SiloKilledAndRestartedInMemory_ReapplyAndPush_AgentHoldingHigherVersionConverges()
    {
        using var temp = new TempDirectory("mem-restart");
        var repo = GitRepository.Create(temp.Combine("repo"));
        repo.WriteFile("projects/Alpha/project.json", "{\"title\":\"alpha\"}");
        repo.Commit("initial");
        await using var silo = await SiloProcess.StartAsync(new SiloProcessSettings { Name = "restart", Environment = SiloEnvironment, StartTimeout = TimeSpan.FromSeconds(60) });
        await using var simulator = await GatewaySimulator.StartAsync(new IgnitionSimulatorOptions { ApiToken = Token, Urls = [new Uri("http://127.0.0.1:0")] });
        AgentProcessHost? agent = null;
        var http = silo.Http;
        try
        {
            await PutAsync(http, repo.Path);
            var tokenFile = temp.Combine("token");
            await File.WriteAllTextAsync(tokenFile, Token);
            var agentToken = await silo.MintAgentTokenFileAsync($"{Namespace}/{CrName}/gw", temp.Combine("agent-token"));
            agent = AgentProcessHost.Start(new Dictionary<string, string>
            {
                ["AGENT_TOKEN_FILE"] = agentToken,
                ["CR_NAME"] = CrName,
                ["CR_NAMESPACE"] = Namespace,
                ["POD_NAME"] = "gw-0",
                ["GATEWAY_NAME"] = "gw",
                ["REPO_PATH"] = temp.Combine("work"),
                ["GATEWAY_PORT"] = simulator.BaseUrl.Port.ToString(CultureInfo.InvariantCulture),
                ["API_KEY_FILE"] = tokenFile,
                ["SILO_ENDPOINTS"] = "127.0.0.1:" + silo.GatewayPort.ToString(CultureInfo.InvariantCulture),
                ["SILO_CA_FILE"] = silo.CaFile,
                ["ORLEANS_CLUSTER_ID"] = silo.ClusterId,
                ["ORLEANS_SERVICE_ID"] = silo.ServiceId,
                ["HEARTBEAT_INTERVAL"] = "1",
                ["POST_COMMISSION_INTERVAL"] = "1",
            }, temp.Combine("data"));
            string Diagnostics() => $"--- silo ---\n{silo.Output}\n--- agent ---\n{agent.Output}";

            // Apply (version 1) and two pushes (versions 2 and 3): the agent now holds version 3.
            await WaitForSyncedAsync(http, repo.Head(), Diagnostics);
            foreach (var project in new[] { "Beta", "Gamma" })
            {
                var commit = SitePushes.CommitProject(repo, project);
                Assert.Equal(HttpStatusCode.Accepted, await PushAsync(http, commit));
                await WaitForSyncedAsync(http, commit, Diagnostics);
            }

            await silo.KillAsync();
            await silo.RestartAsync();

            // The new silo starts from nothing: the operator applies again and pushes.
            await PutAsync(http, repo.Path);
            var afterRestart = SitePushes.CommitProject(repo, "Delta");
            Assert.Equal(HttpStatusCode.Accepted, await PushAsync(http, afterRestart));

            await WaitForSyncedAsync(http, afterRestart, Diagnostics, seconds: 60);
            Assert.True(File.Exists(Path.Join(agent.DataPath, "projects", "Delta", "project.json")), Diagnostics());
        }
        finally
        {
            if (agent is not null)
            {
                await agent.DisposeAsync();
            }

            repo.Dispose();
        }
    }

    private static async Task PutAsync(HttpClient http, string repoPath)
    {
        using var content = new StringContent(Manifests.GatewaySync(CrName, Namespace, repoPath), Encoding.UTF8, "application/yaml");
        using var response = await http.PutAsync(new Uri(ResourcePath, UriKind.Relative), content);
        Assert.True(response.IsSuccessStatusCode, $"PUT {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private static Task<HttpStatusCode> PushAsync(HttpClient http, string commit) => SitePushes.PushAsync(http, Namespace, CrName, commit, Secret);

    /// <summary>Polls the resource until its one gateway reports Synced at <paramref name="commit"/>.</summary>
    private static async Task WaitForSyncedAsync(HttpClient http, string commit, Func<string> diagnostics, int seconds = 60)
    {
        try
        {
            await Eventually.Until(
                () => http.GetStringAsync(new Uri(ResourcePath, UriKind.Relative)),
                body =>
                {
                    using var json = JsonDocument.Parse(body);
                    return json.RootElement.TryGetProperty("status", out var status)
                        && status.TryGetProperty("discoveredGateways", out var gateways)
                        && gateways.EnumerateArray().Any(g => g.TryGetProperty("syncedCommit", out var c) && c.GetString() == commit
                            && g.TryGetProperty("syncStatus", out var s) && s.GetString() == "Synced");
                },
                TimeSpan.FromSeconds(seconds),
                $"the gateway Synced at {commit[..8]}");
        }
        catch (TimeoutException e)
        {
            // The processes' output as it is at the deadline, not as it was when the wait began.
            throw new TimeoutException(e.Message + "\n" + diagnostics(), e);
        }
    }
}
