using Microsoft.Extensions.DependencyInjection;
using Stoker.AgentClient.Control;
using Stoker.Grains.Interfaces.Grains;
using Stoker.Grains.Interfaces.Messages;
using Stoker.Silo.Security;
using Stoker.Tests.ControlPlane;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Security;

/// <summary>
/// A revocation made through one silo reaches the other silos of the cluster by their periodic reload
/// (<c>Stoker:Security:RevocationRefreshInterval</c>, 3 s): the agents' calls are refused wherever their gateway's grain lives.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class RevocationAcrossSilosTests(PostgresServer postgres)
{
    [Fact]
    public async Task TokensRevokedThroughOneSilo_RefusedOnEverySiloWithinSeconds()
    {
        var connectionString = await postgres.CreateDatabaseAsync("revoke_" + Guid.NewGuid().ToString("N")[..8]);
        await using var first = await ControlPlaneHost.StartAsync(connectionString);
        // One cluster, one agent-token key: the second silo shares the first's state folder.
        await using var second = await ControlPlaneHost.StartAsync(connectionString, reuse: new()
        {
            ClusterId = first.Options.ClusterId,
            SiloPort = FreePort.Next(),
            GatewayPort = FreePort.Next(),
            MinimumReminderPeriod = first.Options.MinimumReminderPeriod,
            StatePath = first.Options.StatePath,
        });
        var management = first.Client.GetGrain<IManagementGrain>(0);
        await Eventually.Until(() => management.GetHosts(onlyActive: true), hosts => hosts.Count == 2, TimeSpan.FromSeconds(60), "both silos active");

        var issuer = first.SiloServices.GetRequiredService<AgentTokenIssuer>();
        var tokens = new Dictionary<string, MintedAgentToken>(StringComparer.Ordinal);
        // Activated from either silo's own code in turn until both silos host some (placement weighs the silos' load, so
        // on a busy machine a few more activations may be needed).
        for (var i = 0; i < 16 || (i < 200 && await GatewayGrainSilosAsync(management) < 2); i++)
        {
            var key = $"ns/revoke/gw-{i:D3}";
            tokens[key] = await issuer.MintAsync(key, TimeSpan.FromHours(1));
            await (i % 2 == 0 ? first : second).Client.GetGrain<IGatewayGrain>(key).GetSnapshot();
        }

        // Agents on the second silo's gateway; their grains are placed over both silos.
        await using var agents = await AgentClientHost.StartAsync(second.Options.GatewayPort, second.Options.ClusterId, caFile: second.CaFile,
            credential: key => tokens.TryGetValue(key, out var token) ? token.Token : null);
        var observer = agents.Client.CreateObjectReference<IGatewayObserver>(new DesiredStateInbox(Serializers.DesiredState));
        var sessions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in tokens.Keys)
        {
            var session = await agents.Client.GetGrain<IGatewayAgentGrain>(key).Register(new AgentRegistration { AgentId = key, AgentVersion = "test" }, observer, null);
            sessions[key] = session.Token;
        }

        Assert.True(await GatewayGrainSilosAsync(management) == 2, "Gateway grains on both silos");

        foreach (var token in tokens.Values)
        {
            Assert.NotNull(await issuer.RevokeAsync(token.Id));
        }

        // The revoking silo knows at once; the other at its next reload.
        Assert.All(tokens.Values, t => Assert.True(first.SiloServices.GetRequiredService<AgentTokenRevocationList>().Contains(t.Id)));
        var otherList = second.SiloServices.GetRequiredService<AgentTokenRevocationList>();
        await Eventually.Until(() => Task.FromResult(tokens.Values.All(t => otherList.Contains(t.Id))), all => all, TimeSpan.FromSeconds(15),
            "the second silo's copy of the revocations");
        foreach (var (key, session) in sessions)
        {
            var error = await Assert.ThrowsAsync<CallRefusedException>(() => agents.Client.GetGrain<IGatewayAgentGrain>(key).Heartbeat(session, observer));
            Assert.Contains("refused (revoked)", error.Message, StringComparison.Ordinal);
        }
    }

    private static async Task<int> GatewayGrainSilosAsync(IManagementGrain management) =>
        (await management.GetSimpleGrainStatistics())
            .Where(s => s.GrainType.Contains("GatewayGrain", StringComparison.Ordinal)).GroupBy(s => s.SiloAddress).Count();
}
