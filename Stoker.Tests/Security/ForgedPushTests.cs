using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Stoker.AgentClient.Control;
using Stoker.Grains.Interfaces.Grains;
using Stoker.Grains.Interfaces.Messages;
using Stoker.Grains.Interfaces.Security;
using Stoker.Tests.Api;
using Stoker.Tests.ControlPlane;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Security;

/// <summary>
/// Any Orleans client that learnt an agent's observer id can send it messages: the silo's gateway forwards them and no
/// grain call filter sees them. An agent therefore takes a desired state only when it is sealed with its session's key,
/// which only its Gateway grain knows (docs/security.md, "Pushes").
/// </summary>
public sealed class ForgedPushTests
{
    private const string Namespace = "plant";
    private const string CrName = "site";
    private const string GatewayA = $"{Namespace}/{CrName}/gw-a";
    private const string GatewayB = $"{Namespace}/{CrName}/gw-b";
    private const string ResourcePath = $"/apis/stoker.io/v1alpha1/namespaces/{Namespace}/gatewaysyncs/{CrName}";

    [Fact]
    public async Task PushFromAnotherAuthenticatedClient_ToAnAgentsObserver_DroppedWhileTheGrainsPushesAreTaken()
    {
        using var temp = new TempDirectory("forged-push");
        using var repo = GitRepository.Create(temp.Combine("repo"));
        repo.WriteFile("projects/Alpha/project.json", "{\"title\":\"alpha\"}");
        var first = repo.Commit("initial");
        await using var silo = await SiloProcess.StartAsync(new SiloProcessSettings { Name = "forged-push" });
        await PutAsync(silo, repo.Path, "main");

        var tokenA = await MintAsync(silo, GatewayA);
        var tokenB = await MintAsync(silo, GatewayB);
        await using var clientA = await AgentClientHost.StartAsync(silo.GatewayPort, silo.ClusterId, silo.ServiceId, silo.CaFile, credential: _ => tokenA);
        await using var clientB = await AgentClientHost.StartAsync(silo.GatewayPort, silo.ClusterId, silo.ServiceId, silo.CaFile, credential: _ => tokenB);

        // Agent A, as the real agent builds it: the inbox opens pushes with its session's key.
        var inbox = new DesiredStateInbox(clientA.Client.ServiceProvider.GetRequiredService<Serializer<DesiredState>>());
        var counter = new CountingObserver(inbox);
        var observer = clientA.Client.CreateObjectReference<IGatewayObserver>(counter);
        var proposed = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        inbox.UseSession(proposed);
        var session = await clientA.Client.GetGrain<IGatewayAgentGrain>(GatewayA)
            .Register(new AgentRegistration { AgentId = "agent-a", AgentVersion = "test", PodName = "gw-a-0" }, observer, proposed);
        Assert.Equal(proposed, session.Token);
        inbox.Offer(session.Desired!);
        Assert.Equal(first, inbox.Current!.Commit);

        // The grain's own push (a new ref) is taken: no heartbeat runs in this test, so only the push can bring it.
        repo.WriteFile("projects/Beta/project.json", "{\"title\":\"beta\"}");
        var second = repo.Commit("beta");
        repo.Tag("v2");
        await PutAsync(silo, repo.Path, "v2");
        await Eventually.Until(() => Task.FromResult(inbox.Current?.Commit), c => c == second, TimeSpan.FromSeconds(30), "the grain's sealed push of v2");
        Assert.Equal(0, inbox.RefusedPushes);

        // Client B, authenticated for gateway B, addresses A's observer directly: the message arrives, and is dropped.
        var forgedTarget = clientB.Client.GetGrain<IGatewayObserver>(((IAddressable)observer).GetGrainId());
        var evil = new DesiredState { Version = long.MaxValue, Epoch = inbox.Current!.Epoch, RepoUrl = "https://attacker.invalid/repo.git", Commit = new string('e', 40) };
        var serializer = clientB.Client.ServiceProvider.GetRequiredService<Serializer<DesiredState>>();
        await forgedTarget.DesiredStateChanged(DesiredStateSeal.Seal(serializer, evil, DesiredStateSeal.KeyFor(new string('0', 64))));
        await forgedTarget.DesiredStateChanged(new DesiredStatePush { State = serializer.SerializeToArray(evil), Seal = new byte[32] });
        await Eventually.Until(() => Task.FromResult(inbox.RefusedPushes), n => n == 2, TimeSpan.FromSeconds(30), "both forged pushes reached agent A and were dropped");
        Assert.Equal(second, inbox.Current!.Commit);
        Assert.Equal(3, counter.Pushes);
    }

    private static async Task PutAsync(SiloProcess silo, string repoPath, string @ref)
    {
        using var content = new StringContent(Manifests.GatewaySync(CrName, Namespace, repoPath, @ref), Encoding.UTF8, "application/yaml");
        using var response = await silo.Http.PutAsync(new Uri(ResourcePath, UriKind.Relative), content);
        Assert.True(response.IsSuccessStatusCode, $"PUT {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task<string> MintAsync(SiloProcess silo, string gateway)
    {
        using var response = await silo.Http.PostAsJsonAsync(new Uri("/api/v1/agent-tokens", UriKind.Relative), new JsonObject { ["gateway"] = gateway });
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.IsSuccessStatusCode, body.ToJsonString());
        return body["token"]!.GetValue<string>();
    }
}
