using System.Collections.Concurrent;
using System.Net;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Silo.Api;
using Stoker.Tests.ControlPlane;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Webhooks;

/// <summary>Per-GatewaySync rate limit over real HTTP: 429 with Retry-After, and the newest refused ref still lands.</summary>
[Collection(WebhookCollection.Name)]
public sealed class RateLimitTests(WebhookFixture fixture)
{
    [Fact]
    public async Task LimitedRequests_429WithRetryAfter_NewestHeldRefAppliedWhenWindowOpens()
    {
        await using var receiver = await fixture.StartReceiverAsync(WebhookRequests.Settings(bearer: "t", permitLimit: 1, window: "00:00:03"));
        var grain = await fixture.ApplyAsync("rate-held");

        using var first = await receiver.Http.SendAsync(WebhookRequests.Post("ns", "rate-held", """{"ref":"v1.0.0"}""", bearer: "Bearer t"));
        using var second = await receiver.Http.SendAsync(WebhookRequests.Post("ns", "rate-held", """{"ref":"v2.0.0"}""", bearer: "Bearer t"));
        using var third = await receiver.Http.SendAsync(WebhookRequests.Post("ns", "rate-held", """{"ref":"v3.0.0"}""", bearer: "Bearer t"));
        using var otherResource = await receiver.Http.SendAsync(WebhookRequests.Post("ns", "rate-held-nobody", """{"ref":"v3.0.0"}""", bearer: "Bearer t"));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        var retryAfter = third.Headers.RetryAfter!.Delta!.Value;
        Assert.InRange(retryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));
        Assert.Contains("\"ref\":\"v3.0.0\"", await third.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, otherResource.StatusCode);
        Assert.Equal("v1.0.0", WebhookFixture.Annotation(await grain.Get(), Annotations.RequestedRef));

        var held = await Eventually.Until(grain.Get, r => WebhookFixture.Annotation(r, Annotations.RequestedRef) == "v3.0.0", TimeSpan.FromSeconds(10), "the newest held ref when the window opens");
        Assert.Equal("generic", WebhookFixture.Annotation(held, Annotations.RequestedBy));
        await Eventually.Until(grain.Get, r => r!.Status!.LastSyncRef == "v3.0.0", TimeSpan.FromSeconds(10), "the held ref to resolve");
    }

    [Fact]
    public async Task BurstOf500Pushes_SomeLimitedNo5xxAndTheFinalCommitLands()
    {
        using var repo = GitRepository.Create();
        repo.WriteFile("projects/A/p.json", "0");
        var initial = repo.Commit("initial");
        await using var receiver = await fixture.StartReceiverAsync(WebhookRequests.Settings(hmac: "storm", permitLimit: 5, window: "00:00:01"));
        var grain = fixture.Host.GatewaySync("ns", "rate-burst");
        var stored = await new GatewaySyncStore(fixture.Host.Client).ApplyAsync(ResourceBuilder.Create("rate-burst", repo.Path, "main", WebhookFixture.NoPolling));
        Assert.Equal(initial, (await fixture.Host.GatewaySync("ns", "rate-burst").WaitReconciled(stored.Metadata.Generation)).Status!.LastSyncCommit);
        repo.WriteFile("projects/A/p.json", "1");
        var middle = repo.Commit("middle");

        var codes = new ConcurrentBag<HttpStatusCode>();
        var missingRetryAfter = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, 499), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (_, ct) =>
        {
            using var response = await receiver.Http.SendAsync(WebhookRequests.Post("ns", "rate-burst", WebhookRequests.Push("refs/heads/main", middle), "storm", gitHubEvent: "push"), ct);
            codes.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests && response.Headers.RetryAfter?.Delta is null)
            {
                Interlocked.Increment(ref missingRetryAfter);
            }
        });
        repo.WriteFile("projects/A/p.json", "2");
        var last = repo.Commit("last");
        using var final = await receiver.Http.SendAsync(WebhookRequests.Post("ns", "rate-burst", WebhookRequests.Push("refs/heads/main", last), "storm", gitHubEvent: "push"));
        codes.Add(final.StatusCode);

        Assert.Equal(500, codes.Count);
        Assert.All(codes, c => Assert.True(c is HttpStatusCode.Accepted or HttpStatusCode.TooManyRequests, $"unexpected {(int)c}"));
        Assert.Contains(HttpStatusCode.TooManyRequests, codes);
        Assert.Equal(0, missingRetryAfter);
        await Eventually.Until(grain.Get, r => r!.Status!.LastSyncCommit == last, TimeSpan.FromSeconds(10), "the final pushed commit to land");
    }
}
