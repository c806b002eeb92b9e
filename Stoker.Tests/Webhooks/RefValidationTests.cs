using System.Net;
using System.Text.Json;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Silo.Webhooks;
using Stoker.Tests.Persistence;

namespace Stoker.Tests.Webhooks;

/// <summary>
/// Issue 11 defect 8: a signed webhook whose ref git would refuse (a newline that forges a log line, half a megabyte,
/// a path with <c>..</c>) is answered 400 naming the field, value and rule, and nothing is stored or logged raw.
/// </summary>
[Collection(WebhookCollection.Name)]
public sealed class RefValidationTests(WebhookFixture fixture)
{
    private const string Secret = "ref-validation-secret";
    public static TheoryData<string, string> BadRefs => new()
    {
        { """{"ref":"main\nfail: Forged[0] ADMIN LOGGED IN"}""", "ref" },
        { """{"ref":"refs/heads/../../x"}""", "ref" },
        { """{"ref":"v1.0.0\u0000"}""", "ref" },
        { """{"release":{"tag_name":"v1..0"}}""", "release.tag_name" },
        { """{"app":{"metadata":{"annotations":{"git.ref":"main.lock"}}}}""", "app.metadata.annotations[\"git.ref\"]" },
        { """{"freight":{"commits":[{"tag":"a b"}]}}""", "freight.commits[0].tag" },
        { "{\"ref\":\"" + new string('r', 256) + "\"}", "ref" },
    };

    [Fact]
    public Task SignedWebhook_HalfMegabyteRef_400AndNothingStored() =>
        SignedWebhook_RefGitWouldRefuse_400NamingFieldAndNothingStoredOrLoggedRaw("{\"ref\":\"refs/heads/" + new string('r', 500 * 1024) + "\"}", "ref");

    [Theory]
    [MemberData(nameof(BadRefs))]
    public async Task SignedWebhook_RefGitWouldRefuse_400NamingFieldAndNothingStoredOrLoggedRaw(string body, string field)
    {
        var logs = new CapturedLogs();
        await using var receiver = await fixture.StartReceiverAsync(WebhookRequests.Settings(hmac: Secret), logs: logs);
        var name = "refcheck-" + Guid.NewGuid().ToString("N")[..8];
        var grain = await fixture.ApplyAsync(name);

        using var response = await receiver.Http.SendAsync(WebhookRequests.Post("ns", name, body, Secret));
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text[..Math.Min(text.Length, 500)]}");
        using var json = JsonDocument.Parse(text);
        Assert.Equal(field, json.RootElement.GetProperty("field").GetString());
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("rule").GetString()));
        var value = json.RootElement.GetProperty("value").GetString()!;
        Assert.True(value.Length < 300, $"the echoed value is cut: {value.Length} characters");
        Assert.DoesNotContain('\n', value);
        Assert.True(text.Length < 1024, $"the answer is small: {text.Length} characters");

        var stored = await grain.Get();
        Assert.Null(WebhookFixture.Annotation(stored, Annotations.RequestedRef));
        Assert.Equal("main", stored!.Spec.Git.Ref);
        Assert.DoesNotContain(logs.Lines, l => l.Contains(" Stoker.", StringComparison.Ordinal) && (l.Contains("\nfail:", StringComparison.Ordinal) || l.Length > 4096));
    }

    [Fact]
    public async Task RequestNamingControlCharacters_LoggedEscapedNeverRaw()
    {
        var logs = new CapturedLogs();
        await using var receiver = await fixture.StartReceiverAsync(WebhookRequests.Settings(hmac: Secret), logs: logs);

        // The path's %0A arrives in the route value as a real line break; the receiver logs the key it refuses.
        using var response = await receiver.Http.SendAsync(WebhookRequests.Post("ns", "x%0Afail:%20Forged[0]%20ADMIN%20LOGGED%20IN", """{"ref":"main"}""", "wrong"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        // Our own log lines only: ASP.NET's request lines are kept out of the silo's log by its filter (SiloLogInjectionTests).
        var ours = logs.Lines.Where(l => l.Contains(" Stoker.", StringComparison.Ordinal)).ToList();
        Assert.True(ours.All(l => !l.Contains("\nfail:", StringComparison.Ordinal)), string.Join("\n", ours));
        var line = Assert.Single(logs.Lines, l => l.Contains(nameof(WebhookReceiverEndpoint), StringComparison.Ordinal) && l.Contains("Forged[0]", StringComparison.Ordinal));
        Assert.Contains("x\\nfail: Forged[0]", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignedPush_BadRefOrAfter_400AndNothingStored()
    {
        await using var receiver = await fixture.StartReceiverAsync(WebhookRequests.Settings(hmac: Secret));
        var grain = await fixture.ApplyAsync("refcheck-push");
        var commit = fixture.Repo.Head();

        using var badRef = await receiver.Http.SendAsync(WebhookRequests.Post("ns", "refcheck-push", WebhookRequests.Push("refs/heads/ma:in", commit), Secret, gitHubEvent: "push"));
        using var badAfter = await receiver.Http.SendAsync(WebhookRequests.Post("ns", "refcheck-push",
            """{"ref":"refs/heads/main","after":"abc\nfail: Forged"}""", Secret, gitHubEvent: "push"));

        Assert.Equal(HttpStatusCode.BadRequest, badRef.StatusCode);
        Assert.Contains("\"field\":\"ref\"", await badRef.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badAfter.StatusCode);
        Assert.Contains("\"field\":\"after\"", await badAfter.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(WebhookFixture.Annotation(await grain.Get(), Annotations.RequestedRef));
    }

    [Fact]
    public async Task SignedWebhook_ValidRefs_StillAccepted()
    {
        await using var receiver = await fixture.StartReceiverAsync(WebhookRequests.Settings(hmac: Secret));
        var grain = await fixture.ApplyAsync("refcheck-valid");

        using var response = await receiver.Http.SendAsync(WebhookRequests.Post("ns", "refcheck-valid", """{"ref":"refs/tags/v2.0.0"}""", Secret));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("refs/tags/v2.0.0", WebhookFixture.Annotation(await grain.Get(), Annotations.RequestedRef));
    }
}
