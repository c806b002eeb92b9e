using Stoker.Grains.Interfaces.Grains;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.ControlPlane;

/// <summary>
/// Issue 11, defect 4, on a two-silo cluster (PostgreSQL): each silo's own code (its hosted client, as the HTTP API
/// uses it) reaches grains activated on the other silo, while an Orleans client on either gateway still may not.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class MultiSiloClientFilterTests(PostgresServer postgres) : IDisposable
{
    private readonly GitRepository _repo = GitRepository.Create();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task TwoSilos_HostedClientCallsCrossSilos_RemoteClientStillRefused()
    {
        _repo.WriteFile("projects/A/p.json", "1");
        _repo.Commit("one");
        var connectionString = await postgres.CreateDatabaseAsync("multisilo_" + Guid.NewGuid().ToString("N")[..8]);
        await using var first = await ControlPlaneHost.StartAsync(connectionString);
        await using var second = await ControlPlaneHost.StartAsync(connectionString, reuse: new()
        {
            ClusterId = first.Options.ClusterId,
            // One cluster, one CA: silos refuse peers whose certificate another CA issued.
            StatePath = first.Options.StatePath,
            SiloPort = FreePort.Next(),
            GatewayPort = FreePort.Next(),
            MinimumReminderPeriod = first.Options.MinimumReminderPeriod,
        });
        var management = second.Client.GetGrain<IManagementGrain>(0);
        await Eventually.Until(() => management.GetHosts(onlyActive: true), hosts => hosts.Count == 2, TimeSpan.FromSeconds(60), "both silos active");

        // Applied through each silo's own client in turn: placement weighs the silos' load, so grains applied through one
        // silo alone may all land on one under a busy machine; alternating puts some on each either way.
        // A silo that just joined may not be offered activations until its load statistics reach the other: apply more
        // until both host some (24 at least, at most 200).
        var names = new List<string>();
        Dictionary<SiloAddress, int> perSilo = [];
        for (var i = 0; i < 24 || (i < 200 && perSilo.Count < 2); i++)
        {
            var name = $"spread-{i:D3}";
            names.Add(name);
            await (i % 2 == 0 ? second : first).GatewaySync("ns", name).ApplyAndReconcile(ResourceBuilder.Create(name, _repo.Path, "main", "  polling:\n    enabled: false"));
            perSilo = (await management.GetSimpleGrainStatistics())
                .Where(s => s.GrainType.Contains("GatewaySyncGrain", StringComparison.Ordinal))
                .GroupBy(s => s.SiloAddress)
                .ToDictionary(g => g.Key, g => g.Sum(s => s.ActivationCount));
        }

        Assert.True(perSilo.Count == 2 && perSilo.Values.All(n => n > 0), "GatewaySync grains on both silos: " + string.Join(", ", perSilo));
        foreach (var name in names)
        {
            // Every grain read through both hosted clients: half of these calls cross to the other silo.
            Assert.NotNull(await first.GatewaySync("ns", name).Get());
            Assert.NotNull(await second.GatewaySync("ns", name).Get());
        }

        // A client on either silo's gateway is still only an agent.
        foreach (var host in new[] { first, second })
        {
            var error = await Assert.ThrowsAsync<CallRefusedException>(() => host.AgentClient.GetGrain<IGatewaySyncGrain>(GrainKeys.GatewaySync("ns", names[0])).Get());
            Assert.Contains(nameof(IGatewayAgentGrain), error.Message, StringComparison.Ordinal);
        }
    }
}
