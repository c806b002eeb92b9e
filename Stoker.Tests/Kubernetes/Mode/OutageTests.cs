using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Kubernetes.Mode;

/// <summary>The API server goes away and comes back: the watch reconnects, and status written meanwhile lands.</summary>
public sealed class OutageTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private KubernetesModeBed _bed = null!;

    public async Task InitializeAsync() => _bed = await KubernetesModeBed.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task After_an_API_server_outage_the_watch_reconnects_and_the_latest_status_lands()
    {
        var silo = await _bed.StartSiloAsync(settings: new Dictionary<string, string?> { ["Stoker:Kubernetes:LeaderElection"] = "false" });
        await _bed.CreateAsync("plant", "site");
        await Eventually.Until(() => _bed.GetAsync("plant", "site"),
            r => KubernetesModeBed.Text(KubernetesModeBed.Condition(r, "RefResolved")?["status"]) == "True", Timeout, "the first status");

        // The API server stops; meanwhile the grain's status changes (a new commit requested through the grain).
        var port = _bed.Api.Url.Port;
        await _bed.Api.StopAsync();
        var commit = _bed.Repo.Commit("second");
        await silo.Client.GetGrain<Stoker.Grains.Interfaces.Grains.IGatewaySyncGrain>("plant/site")
            .RequestRef(new Stoker.Grains.Interfaces.Messages.RefRequest { Ref = "main", Commit = commit, Source = "generic", RequestedAt = TimeProvider.System.GetUtcNow() });
        await Eventually.Until(() => silo.Store.GetAsync("plant", "site"), s => s?.Status?.LastSyncCommit == commit, Timeout, "the grain at the new commit");
        await Eventually.Until(() => Task.FromResult(silo.Logs.Lines.Count(l => l.Contains("writing the status failed", StringComparison.Ordinal))),
            c => c >= 1, Timeout, "a failed status write");

        await _bed.Api.StartAsync(port);
        await Eventually.Until(() => _bed.GetAsync("plant", "site"), r => KubernetesModeBed.Text(r?["status"]?["lastSyncCommit"]) == commit, Timeout, "the latest status on the resource");

        // The watch is back: a change after the outage is applied.
        await _bed.SetAnnotationAsync("plant", "site", "example.com/after-outage", "yes");
        await Eventually.Until(() => silo.Store.GetAsync("plant", "site"),
            s => s?.Metadata.Annotations?.ContainsKey("example.com/after-outage") == true, Timeout, "the change after the outage");
    }

    [Fact]
    public async Task Only_the_configured_namespaces_are_watched()
    {
        var silo = await _bed.StartSiloAsync(settings: new Dictionary<string, string?>
        {
            ["Stoker:Kubernetes:Namespaces:0"] = "plant",
            ["Stoker:Kubernetes:Namespaces:1"] = "lab",
        });
        await _bed.CreateAsync("elsewhere", "ignored");
        await _bed.CreateAsync("plant", "one");
        await _bed.CreateAsync("lab", "two");
        await Eventually.Until(() => silo.Store.ListAsync(null), l => l.Count == 2, Timeout, "both watched namespaces applied");
        Assert.Null(await silo.Store.GetAsync("elsewhere", "ignored"));
        Assert.Null((await _bed.GetAsync("elsewhere", "ignored"))!["metadata"]!["finalizers"]);
    }
}
