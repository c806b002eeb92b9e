using System.Net;
using Stoker.Grains.Interfaces.Grains;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Silo.Api;
using Stoker.Tests.ControlPlane;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Webhooks;

/// <summary>GitHub push and ping events: a push to the followed branch re-resolves at once; anything else changes nothing.</summary>
[Collection(WebhookCollection.Name)]
public sealed class GitHubPushTests(WebhookFixture fixture) : IAsyncLifetime
{
    private const string Secret = "push-secret";
    private readonly GitRepository _repo = GitRepository.Create();
    private ReceiverHost? _receiver;
    private string _first = "";

    private HttpClient Http => _receiver!.Http;

    public async Task InitializeAsync()
    {
        _repo.WriteFile("projects/A/p.json", "1");
        _first = _repo.Commit("one");
        _receiver = await fixture.StartReceiverAsync(WebhookRequests.Settings(hmac: Secret));
    }

    public async Task DisposeAsync()
    {
        await _receiver!.DisposeAsync();
        _repo.Dispose();
    }

    [Fact]
    public async Task Push_ToFollowedBranch_ResolvesPushedCommitAndAgainForTheNextPush()
    {
        var grain = await ApplyAsync("push-main", "main");
        Assert.Equal(_first, (await grain.Get())!.Status!.LastSyncCommit);

        _repo.WriteFile("projects/A/p.json", "2");
        var second = _repo.Commit("two");
        using var response = await Http.SendAsync(WebhookRequests.Post("ns", "push-main", WebhookRequests.Push("refs/heads/main", second), Secret, gitHubEvent: "push"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal($"{{\"accepted\":true,\"commit\":\"{second}\",\"ref\":\"main\"}}\n", await response.Content.ReadAsStringAsync());
        await Eventually.Until(grain.Get, r => r!.Status!.LastSyncCommit == second, TimeSpan.FromSeconds(10), "the pushed commit to resolve");

        _repo.WriteFile("projects/A/p.json", "3");
        var third = _repo.Commit("three");
        using var again = await Http.SendAsync(WebhookRequests.Post("ns", "push-main", WebhookRequests.Push("refs/heads/main", third, before: second), Secret, gitHubEvent: "push"));

        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var resolved = await Eventually.Until(grain.Get, r => r!.Status!.LastSyncCommit == third, TimeSpan.FromSeconds(10), "the second pushed commit to resolve");
        Assert.Equal("main", resolved!.Status!.LastSyncRef);
    }

    [Fact]
    public async Task Push_SpecRefGivenInFull_Matches()
    {
        var grain = await ApplyAsync("push-full", "refs/heads/main");
        _repo.WriteFile("projects/A/p.json", "full");
        var next = _repo.Commit("full");

        using var response = await Http.SendAsync(WebhookRequests.Post("ns", "push-full", WebhookRequests.Push("refs/heads/main", next), Secret, gitHubEvent: "push"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await Eventually.Until(grain.Get, r => r!.Status!.LastSyncCommit == next, TimeSpan.FromSeconds(10), "the pushed commit to resolve");
    }

    [Fact]
    public async Task Push_ToOtherBranch_202IgnoredAndNothingChanges()
    {
        var grain = await ApplyAsync("push-other", "main");
        _repo.Branch("feature");
        _repo.Checkout("feature");
        _repo.WriteFile("projects/A/p.json", "feature");
        var featureCommit = _repo.Commit("feature work");
        _repo.Checkout("main");

        using var response = await Http.SendAsync(WebhookRequests.Post("ns", "push-other", WebhookRequests.Push("refs/heads/feature", featureCommit), Secret, gitHubEvent: "push"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("{\"accepted\":false,\"message\":\"ignored: push to refs/heads/feature, the resource follows \\\"main\\\"\",\"ref\":\"refs/heads/feature\"}\n",
            await response.Content.ReadAsStringAsync());
        var resource = await grain.Get();
        Assert.Null(WebhookFixture.Annotation(resource, Annotations.RequestedRef));
        Assert.Equal(_first, resource!.Status!.LastSyncCommit);
    }

    [Fact]
    public async Task FormEncodedPush_GitHubsDefault_SignedOverTheFormBody_ResolvesThePushedCommit()
    {
        var grain = await ApplyAsync("push-form", "main");
        _repo.WriteFile("projects/A/p.json", "form");
        var next = _repo.Commit("form");
        var json = WebhookRequests.Push("refs/heads/main", next);

        // Signed over the event JSON rather than the form as sent: refused, as GitHub signs the body it sends.
        using var wronglySigned = WebhookRequests.PostForm("ns", "push-form", json, hmacSecret: null, "push");
        wronglySigned.Headers.TryAddWithoutValidation(Stoker.Silo.Webhooks.WebhookSignature.HmacHeader,
            Stoker.Silo.Webhooks.WebhookSignature.Sign(System.Text.Encoding.UTF8.GetBytes(json), Secret));
        using var refused = await Http.SendAsync(wronglySigned);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        using var response = await Http.SendAsync(WebhookRequests.PostForm("ns", "push-form", json, Secret, "push"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal($"{{\"accepted\":true,\"commit\":\"{next}\",\"ref\":\"main\"}}\n", await response.Content.ReadAsStringAsync());
        await Eventually.Until(grain.Get, r => r!.Status!.LastSyncCommit == next, TimeSpan.FromSeconds(10), "the form-encoded push's commit to resolve");
    }

    [Fact]
    public async Task FormEncoded_PingAnswered_FormWithoutPayload400NamingTheField()
    {
        await ApplyAsync("push-form-bad", "main");
        using var pong = await Http.SendAsync(WebhookRequests.PostForm("ns", "push-form-bad", "{\"zen\":\"z\",\"hook_id\":2}", Secret, "ping"));
        Assert.Equal(HttpStatusCode.OK, pong.StatusCode);

        var body = System.Text.Encoding.UTF8.GetBytes("event=push&ref=refs%2Fheads%2Fmain");
        using var request = WebhookRequests.Post("ns", "push-form-bad", body, Secret, gitHubEvent: "push");
        request.Content!.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-www-form-urlencoded");
        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"payload\" field", await WebhookRequests.ErrorAsync(response), StringComparison.Ordinal);

        // A release delivered as a form works like the JSON one (the generic path reads the payload field too).
        using var release = await Http.SendAsync(WebhookRequests.PostForm("ns", "push-form-bad",
            "{\"action\":\"published\",\"release\":{\"tag_name\":\"v9.0.0\"}}", Secret, "release"));
        Assert.Equal(HttpStatusCode.Accepted, release.StatusCode);
        Assert.Contains("\"ref\":\"v9.0.0\"", await release.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_BranchDeleted_202Ignored()
    {
        var grain = await ApplyAsync("push-deleted", "main");
        var payload = """{"ref":"refs/heads/main","before":"1111111111111111111111111111111111111111","after":"0000000000000000000000000000000000000000","deleted":true}""";

        using var response = await Http.SendAsync(WebhookRequests.Post("ns", "push-deleted", payload, Secret, gitHubEvent: "push"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Contains("ignored", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(WebhookFixture.Annotation(await grain.Get(), Annotations.RequestedRef));
    }

    [Fact]
    public async Task Push_WithoutRef_400()
    {
        await ApplyAsync("push-noref", "main");

        using var response = await Http.SendAsync(WebhookRequests.Post("ns", "push-noref", """{"after":"abc"}""", Secret, gitHubEvent: "push"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Ping_Signed200_UnknownResource404_Unsigned401()
    {
        await ApplyAsync("push-ping", "main");
        const string ping = """{"zen":"Keep it logically awesome.","hook_id":1}""";

        using var pong = await Http.SendAsync(WebhookRequests.Post("ns", "push-ping", ping, Secret, gitHubEvent: "ping"));
        using var unknown = await Http.SendAsync(WebhookRequests.Post("ns", "push-ping-nobody", ping, Secret, gitHubEvent: "ping"));
        using var unsigned = await Http.SendAsync(WebhookRequests.Post("ns", "push-ping", ping, gitHubEvent: "ping"));

        Assert.Equal(HttpStatusCode.OK, pong.StatusCode);
        Assert.Equal("{\"message\":\"pong\"}\n", await pong.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
    }

    [Fact]
    public async Task OtherGitHubEvent_WithTopLevelRef_202IgnoredNotRequested()
    {
        var grain = await ApplyAsync("push-create", "main");

        using var response = await Http.SendAsync(WebhookRequests.Post("ns", "push-create", """{"ref":"feature-x","ref_type":"branch"}""", Secret, gitHubEvent: "delete"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Contains("ignored", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(WebhookFixture.Annotation(await grain.Get(), Annotations.RequestedRef));
    }

    [Fact]
    public async Task ReleaseEvent_WithHeader_HandledAsTheOriginal()
    {
        _repo.Tag("v7.0.0");
        var grain = await ApplyAsync("push-release", "main");

        using var response = await Http.SendAsync(WebhookRequests.Post("ns", "push-release", """{"action":"published","release":{"tag_name":"v7.0.0"}}""", Secret, gitHubEvent: "release"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("v7.0.0", WebhookFixture.Annotation(await grain.Get(), Annotations.RequestedRef));
    }

    private async Task<IGatewaySyncGrain> ApplyAsync(string name, string @ref)
    {
        var stored = await new GatewaySyncStore(fixture.Host.Client).ApplyAsync(ResourceBuilder.Create(name, _repo.Path, @ref, WebhookFixture.NoPolling));
        var grain = fixture.Host.GatewaySync("ns", name);
        await grain.WaitReconciled(stored.Metadata.Generation);
        return grain;
    }
}
