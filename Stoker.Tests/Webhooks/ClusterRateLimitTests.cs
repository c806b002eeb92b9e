using System.Net;
using Stoker.Grains.Interfaces.Grains;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Grains.Secrets;
using Stoker.Silo.Api;
using Stoker.Tests.ControlPlane;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Webhooks;

/// <summary>
/// Issue 14, point 4: the webhook rate limit holds per resource across the whole cluster. Two silos on one
/// PostgreSQL cluster, a webhook receiver on each (as each silo hosts one): requests for one resource alternating
/// between them share one window, so the cluster passes on the limit once, not once per silo, and the newest refused
/// ref still lands when the window opens.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterRateLimitTests(PostgresServer postgres) : IDisposable
{
    private readonly GitRepository _repo = GitRepository.Create();
    private readonly TempDirectory _secrets = new("stoker-cluster-rate-secrets");

    public void Dispose()
    {
        _repo.Dispose();
        _secrets.Dispose();
    }

    [Fact]
    public async Task TwoSilos_RequestsThroughBoth_ShareOneLimitPerResource()
    {
        _repo.WriteFile("projects/A/p.json", "0");
        _repo.Commit("initial");
        foreach (var tag in new[] { "v1", "v2", "v3", "v4", "v5", "v6" })
        {
            _repo.WriteFile("projects/A/p.json", tag);
            _repo.Commit(tag);
            _repo.Tag(tag);
        }

        var connectionString = await postgres.CreateDatabaseAsync("ratelimit_" + Guid.NewGuid().ToString("N")[..8]);
        await using var first = await ControlPlaneHost.StartAsync(connectionString);
        await using var second = await ControlPlaneHost.StartAsync(connectionString, reuse: new()
        {
            ClusterId = first.Options.ClusterId,
            SiloPort = FreePort.Next(),
            GatewayPort = FreePort.Next(),
            MinimumReminderPeriod = first.Options.MinimumReminderPeriod,
            StatePath = first.Options.StatePath,
        });
        var management = second.Client.GetGrain<IManagementGrain>(0);
        await Eventually.Until(() => management.GetHosts(onlyActive: true), hosts => hosts.Count == 2, TimeSpan.FromSeconds(60), "both silos active");

        var stored = await new GatewaySyncStore(first.Client).ApplyAsync(ResourceBuilder.Create("shared", _repo.Path, "main", WebhookFixture.NoPolling));
        await first.GatewaySync("ns", "shared").WaitReconciled(stored.Metadata.Generation);
        ISecretStore secrets = new FileSecretStore(_secrets.Path);
        // A window long enough that it cannot pass while the six requests are sent.
        var settings = WebhookRequests.Settings(bearer: "t", permitLimit: 2, window: "00:00:20");
        await using var viaFirst = await ReceiverHost.StartAsync(first.Client, secrets, settings);
        await using var viaSecond = await ReceiverHost.StartAsync(second.Client, secrets, settings);

        var codes = new List<HttpStatusCode>();
        var receivers = new[] { viaFirst, viaSecond };
        for (var i = 1; i <= 6; i++)
        {
            // v1 through the first silo, v2 through the second, and so on: per silo that would be three each.
            using var response = await receivers[(i - 1) % 2].Http.SendAsync(WebhookRequests.Post("ns", "shared", "{\"ref\":\"v" + i + "\"}", bearer: "Bearer t"));
            codes.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.NotNull(response.Headers.RetryAfter?.Delta);
            }
        }

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests,
            HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], codes);
        var grain = second.GatewaySync("ns", "shared");
        Assert.Equal("v2", WebhookFixture.Annotation(await grain.Get(), Annotations.RequestedRef));

        // Another resource has a window of its own.
        var other = await new GatewaySyncStore(second.Client).ApplyAsync(ResourceBuilder.Create("other", _repo.Path, "main", WebhookFixture.NoPolling));
        await second.GatewaySync("ns", "other").WaitReconciled(other.Metadata.Generation);
        using var otherResponse = await viaFirst.Http.SendAsync(WebhookRequests.Post("ns", "other", "{\"ref\":\"v1\"}", bearer: "Bearer t"));
        Assert.Equal(HttpStatusCode.Accepted, otherResponse.StatusCode);

        // The newest refused ref (v6, sent through the second silo) is taken when the window opens.
        await Eventually.Until(grain.Get, r => WebhookFixture.Annotation(r, Annotations.RequestedRef) == "v6", TimeSpan.FromSeconds(60), "the newest held ref when the window opens");
    }
}
