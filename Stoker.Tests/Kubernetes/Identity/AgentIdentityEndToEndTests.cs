using k8s.Models;
using Stoker.Tests.AgentRuntime;
using Stoker.Tests.Infrastructure;
using Stoker.Tests.Kubernetes.Mode;

namespace Stoker.Tests.Kubernetes.Identity;

/// <summary>
/// Issue 12's end to end: GatewaySync created through the API server, gateway pod admitted through the silo's webhook,
/// the agent started with the environment the injection gave it, registering with its pod's projected token; files on
/// the gateway and <c>Synced</c> on the resource. A token of another pod, a missing token file and a revoked token at
/// re-registration are each refused or retried with a clear message.
/// </summary>
public sealed class AgentIdentityEndToEndTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private IdentityEndToEndBed _bed = null!;

    public async Task InitializeAsync() => _bed = await IdentityEndToEndBed.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    private string TokenFile(string pod)
    {
        Directory.CreateDirectory(_bed.Temp.Combine("tokens"));
        return _bed.Temp.Combine("tokens", pod);
    }

    /// <summary>As the kubelet replaces a projected token: a new file moved over the old one.</summary>
    private static void WriteToken(string path, string token)
    {
        File.WriteAllText(path + ".new", token);
        File.Move(path + ".new", path, overwrite: true);
    }

    private static bool HasFiles(string folder) => Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories).Any();

    private Task WaitForOutputAsync(AgentProcessHost agent, string text, int times, string what) =>
        Eventually.Until(() => Task.FromResult(Occurrences(agent.Output, text)), n => n >= times || agent.Process.HasExited, Timeout,
            $"{what}\n--- agent ---\n{agent.Output}\n--- silo ---\n{_bed.Silo.Output}");

    private static int Occurrences(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    [Fact]
    public async Task InjectedAgent_RegistersWithItsPodToken_SyncsAndIsSyncedOnTheResource_WhileAnotherPodsTokenIsRefused()
    {
        await _bed.CreateGatewaySyncAsync();
        var pod = await _bed.CreateGatewayPodAsync("ignition-0");
        Assert.Equal("true", pod.Metadata.Annotations["stoker.io/injected"]);
        var token = _bed.IssueToken(pod);
        var tokenFile = TokenFile("ignition-0");
        WriteToken(tokenFile, token);
        var (environment, dataPath) = _bed.AgentEnvironmentOf(pod, tokenFile);

        var agent = _bed.StartAgent(environment, dataPath);

        await Eventually.Until(() => Task.FromResult(File.Exists(Path.Combine(dataPath, "projects/Alpha/project.json"))), found => found, Timeout,
            $"the project on the gateway\n--- agent ---\n{agent.Output}\n--- silo ---\n{_bed.Silo.Output}");
        var synced = await _bed.WaitForGatewayStatusAsync("ignition-0", g => KubernetesModeBed.Text(g?["syncStatus"]) == "Synced",
            "ignition-0 Synced in the GatewaySync's status", agent);
        Assert.Equal("ignition-0", KubernetesModeBed.Text(synced!["podName"]));
        Assert.Contains("Agent identity verified: pod plant/ignition-0, gateway plant/site/ignition-0", _bed.Silo.Output, StringComparison.Ordinal);

        // A second gateway pod whose agent presents the first pod's token (copied, or stolen from its volume).
        var other = await _bed.CreateGatewayPodAsync("ignition-1");
        var otherTokenFile = TokenFile("ignition-1");
        WriteToken(otherTokenFile, token);
        var (otherEnvironment, otherDataPath) = _bed.AgentEnvironmentOf(other, otherTokenFile);
        var impostor = _bed.StartAgent(otherEnvironment, otherDataPath);

        // Every call is checked (docs/security.md, "Agent credentials"): the silo's call filter refuses the registration
        // before the Gateway grain sees it, naming the pod the token belongs to.
        const string refusal = "call to IGatewayAgentGrain.Register on gateway/plant/site/ignition-1 refused (wrong_gateway): the agent credential "
            + "(pod plant/ignition-0's token) stands for gateway plant/site/ignition-0, not plant/site/ignition-1";
        await WaitForOutputAsync(impostor, refusal, times: 2, "the impostor refused twice (it retries)");
        Assert.False(impostor.Process.HasExited, impostor.Output);
        Assert.False(HasFiles(otherDataPath), $"the refused agent wrote into its gateway's data folder:\n{impostor.Output}");
        Assert.Single(_bed.Silo.Lines, l => l.Contains("IGatewayAgentGrain.Register on gateway/plant/site/ignition-1 from Orleans client", StringComparison.Ordinal)
            && l.Contains("refused (wrong_gateway)", StringComparison.Ordinal));
        var metrics = await _bed.Silo.GetStringAsync("/metrics");
        Assert.Contains("stoker_agent_calls_refused_total{reason=\"wrong_gateway\"}", metrics, StringComparison.Ordinal);
        var resource = (await _bed.GetGatewaySyncAsync())!.ToJsonString();
        Assert.DoesNotContain("\"ignition-1\"", resource, StringComparison.Ordinal);

        // The token itself appears nowhere: not in the silo's or the agents' output, not on the resource.
        var secretPart = token.Split('.')[2];
        Assert.DoesNotContain(secretPart, _bed.Silo.Output + agent.Output + impostor.Output + resource, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agent_ReadsItsTokenAtEveryRegistration_RetriesAMissingOne_AndIsRefusedOnceItIsRevoked()
    {
        await _bed.CreateGatewaySyncAsync();

        // Named by its label (the naming rule's second step): the webhook's GATEWAY_NAME and the identity check agree.
        var pod = await _bed.CreateGatewayPodAsync("ignition-0", new Dictionary<string, string> { ["app.kubernetes.io/name"] = "line-a" });
        var tokenFile = TokenFile("ignition-0");
        var (environment, dataPath) = _bed.AgentEnvironmentOf(pod, tokenFile);
        Assert.Equal("line-a", environment["GATEWAY_NAME"]);

        // Not in the pod's environment: a short heartbeat only makes the agent notice the silo's restarts sooner.
        environment["HEARTBEAT_INTERVAL"] = "1";
        var agent = _bed.StartAgent(environment, dataPath);

        // The kubelet has not written the token yet: a clear error and a retry, not a crash.
        await WaitForOutputAsync(agent, $"stoker-agent: cannot register with plant/site/line-a: AGENT_TOKEN_FILE: \"{tokenFile}\": the file does not exist", 1,
            "the missing token reported");
        Assert.False(agent.Process.HasExited, agent.Output);
        Assert.False(HasFiles(dataPath));
        var first = _bed.IssueToken(pod);
        WriteToken(tokenFile, first);
        var synced = await _bed.WaitForGatewayStatusAsync("line-a", g => KubernetesModeBed.Text(g?["syncStatus"]) == "Synced", "Synced with the first token", agent);
        Assert.Equal("ignition-0", KubernetesModeBed.Text(synced!["podName"]));

        // The kubelet rotates the token and the old one stops working; the silo restarts (nothing cached): the agent's
        // re-registration presents the new token, read from the file at that moment.
        var second = _bed.IssueToken(pod);
        WriteToken(tokenFile, second);
        _bed.Api.RevokeToken(first);
        // The agent sends the token on every call and reads the file again within a second, so the rotated token may
        // already have been verified once; after the restart (nothing cached) it is verified again.
        const string verified = "Agent identity verified: pod plant/ignition-0, gateway plant/site/line-a";
        var before = Occurrences(_bed.Silo.Output, verified);
        Assert.InRange(before, 1, 2);
        await _bed.Silo.RestartAsync();
        await Eventually.Until(() => Task.FromResult(Occurrences(_bed.Silo.Output, verified)), n => n > before, Timeout,
            $"the re-registration verified with the rotated token\n--- agent ---\n{agent.Output}\n--- silo ---\n{_bed.Silo.Output}");
        Assert.DoesNotContain("token_rejected", _bed.Silo.Output, StringComparison.Ordinal);

        // Now the current token is revoked too (say, the pod's service account was deleted): once the silo no longer
        // remembers it (restarted here; else after CacheDuration), the agent's next call, heartbeat or registration, is refused.
        _bed.Api.RevokeToken(second);
        await _bed.Silo.RestartAsync();
        await WaitForOutputAsync(agent, "on gateway/plant/site/line-a refused (token_rejected): the agent credential was refused: "
            + "the Kubernetes API server did not accept the identity token for audience \"stoker\" ([invalid bearer token, token lookup failed])", 1,
            "the agent's calls with a revoked token refused");
        Assert.False(agent.Process.HasExited, agent.Output);
        Assert.Contains("refused (token_rejected)", _bed.Silo.Output, StringComparison.Ordinal);
    }
}
