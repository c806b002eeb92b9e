using System.Net;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Silo.Webhooks;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Webhooks;

/// <summary>
/// The webhook receiver (docs/webhooks.md) over real HTTP against a real silo. The original accepted everything when no secret was
/// configured; the port refuses that by default, so "no secret" scenarios run in explicit insecure mode.
/// </summary>
[Collection(WebhookCollection.Name)]
public sealed class ReceiverAcceptanceTests(WebhookFixture fixture) : IAsyncLifetime
{
    private ReceiverHost? _receiver;

    private HttpClient Http => _receiver!.Http;

    public async Task InitializeAsync() => _receiver = await fixture.StartReceiverAsync(WebhookRequests.Settings(allowUnauthenticated: true));

    public async Task DisposeAsync() => await _receiver!.DisposeAsync();

    [Fact]
    public async Task GitHubRelease_RequestsTagAsGithub()
    {
        var grain = await fixture.ApplyAsync("e98");

        using var response = await Http.SendAsync(WebhookRequests.Post("ns", "e98", """{"action":"published","release":{"tag_name":"v2.0.0"}}"""));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var resource = await grain.Get();
        Assert.Equal("v2.0.0", WebhookFixture.Annotation(resource, Annotations.RequestedRef));
        Assert.Equal("github", WebhookFixture.Annotation(resource, Annotations.RequestedBy));
    }

    [Fact]
    public async Task ArgoCdNotification_RequestsGitRefAsArgocd()
    {
        var grain = await fixture.ApplyAsync("e99");

        using var response = await Http.SendAsync(WebhookRequests.Post("ns", "e99", """{"app":{"metadata":{"annotations":{"git.ref":"v3.0.0"}}}}"""));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var resource = await grain.Get();
        Assert.Equal("v3.0.0", WebhookFixture.Annotation(resource, Annotations.RequestedRef));
        Assert.Equal("argocd", WebhookFixture.Annotation(resource, Annotations.RequestedBy));
    }

    [Fact]
    public async Task KargoPromotion_RequestsFirstCommitTagAsKargo()
    {
        var grain = await fixture.ApplyAsync("e100");

        using var response = await Http.SendAsync(WebhookRequests.Post("ns", "e100", """{"freight":{"commits":[{"tag":"v4.0.0"},{"tag":"v1.0.0"}]}}"""));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var resource = await grain.Get();
        Assert.Equal("v4.0.0", WebhookFixture.Annotation(resource, Annotations.RequestedRef));
        Assert.Equal("kargo", WebhookFixture.Annotation(resource, Annotations.RequestedBy));
    }

    [Fact]
    public async Task GenericPayload_RequestsRefAsGeneric()
    {
        var grain = await fixture.ApplyAsync("e101");

        using var response = await Http.SendAsync(WebhookRequests.Post("ns", "e101", """{"ref":"v5.0.0"}"""));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var resource = await grain.Get();
        Assert.Equal("v5.0.0", WebhookFixture.Annotation(resource, Annotations.RequestedRef));
        Assert.Equal("generic", WebhookFixture.Annotation(resource, Annotations.RequestedBy));
        await Eventually.Until(grain.Get, r => r!.Status!.LastSyncRef == "v5.0.0", TimeSpan.FromSeconds(10), "the requested tag to resolve");
    }

    [Fact]
    public async Task InvalidPayload_400AndNoRequestedRef()
    {
        var grain = await fixture.ApplyAsync("e102");

        using var response = await Http.SendAsync(WebhookRequests.Post("ns", "e102", """{"foo":"bar"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("no ref found in payload", await WebhookRequests.ErrorAsync(response));
        Assert.Equal("application/json", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Null(WebhookFixture.Annotation(await grain.Get(), Annotations.RequestedRef));
    }

    [Fact]
    public async Task SameRefTwice_Both202AndRequestedAtUnchanged()
    {
        var grain = await fixture.ApplyAsync("e103");

        using var first = await Http.SendAsync(WebhookRequests.Post("ns", "e103", """{"ref":"v1.0.0"}"""));
        var requestedAt = WebhookFixture.Annotation(await grain.Get(), Annotations.RequestedAt);
        using var second = await Http.SendAsync(WebhookRequests.Post("ns", "e103", """{"ref":"v1.0.0"}"""));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.False(string.IsNullOrEmpty(requestedAt));
        Assert.Equal(requestedAt, WebhookFixture.Annotation(await grain.Get(), Annotations.RequestedAt));
    }

    [Fact]
    public async Task ValidRequest_202WithRefAndAnnotations()
    {
        var grain = await fixture.ApplyAsync("e104");

        using var response = await Http.SendAsync(WebhookRequests.Post("ns", "e104", """{"ref":"v2.0.0"}"""));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("{\"accepted\":true,\"ref\":\"v2.0.0\"}\n", await response.Content.ReadAsStringAsync());
        var resource = await grain.Get();
        Assert.Equal("v2.0.0", WebhookFixture.Annotation(resource, Annotations.RequestedRef));
        Assert.Equal("generic", WebhookFixture.Annotation(resource, Annotations.RequestedBy));
        Assert.False(string.IsNullOrEmpty(WebhookFixture.Annotation(resource, Annotations.RequestedAt)));
    }

    [Fact]
    public async Task UnknownResource_404()
    {
        using var response = await Http.SendAsync(WebhookRequests.Post("ns", "e105-nobody", """{"ref":"v2.0.0"}"""));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("not found", await WebhookRequests.ErrorAsync(response));
    }

    [Fact]
    public async Task HmacSecret_BadSignature401_GoodSignature202_UnknownResourceWithBadSignature401()
    {
        await using var receiver = await fixture.StartReceiverAsync(WebhookRequests.Settings(hmac: "hmac-secret"));
        await fixture.ApplyAsync("e106");
        const string body = """{"ref":"v2.0.0"}""";

        using var invalid = await receiver.Http.SendAsync(WebhookRequests.Post("ns", "e106", body, signature: "sha256=invalid"));
        using var valid = await receiver.Http.SendAsync(WebhookRequests.Post("ns", "e106", body, hmacSecret: "hmac-secret"));
        using var unknown = await receiver.Http.SendAsync(WebhookRequests.Post("ns", "e106-nobody", body, signature: "sha256=invalid"));

        Assert.Equal(HttpStatusCode.Unauthorized, invalid.StatusCode);
        Assert.Equal("unauthorized", await WebhookRequests.ErrorAsync(invalid));
        Assert.Equal(HttpStatusCode.Accepted, valid.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
    }

    [Fact]
    public async Task BearerToken_Valid202_MissingOrWrong401()
    {
        await using var receiver = await fixture.StartReceiverAsync(WebhookRequests.Settings(bearer: "secret-token"));
        await fixture.ApplyAsync("e107");
        const string body = """{"ref":"v2.0.0"}""";

        using var valid = await receiver.Http.SendAsync(WebhookRequests.Post("ns", "e107", body, bearer: "Bearer secret-token"));
        using var missing = await receiver.Http.SendAsync(WebhookRequests.Post("ns", "e107", body));
        using var wrong = await receiver.Http.SendAsync(WebhookRequests.Post("ns", "e107", body, bearer: "Bearer wrong-token"));

        Assert.Equal(HttpStatusCode.Accepted, valid.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
    }

    [Fact]
    public async Task HmacAndBearerConfigured_ValidBearerAlone202()
    {
        await using var receiver = await fixture.StartReceiverAsync(WebhookRequests.Settings(hmac: "hmac-secret", bearer: "secret-token"));
        await fixture.ApplyAsync("e108");

        using var response = await receiver.Http.SendAsync(WebhookRequests.Post("ns", "e108", """{"ref":"v2.0.0"}""", bearer: "Bearer secret-token"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task ResourceAlreadyRequestedSameRef_202RefAlreadySet()
    {
        var grain = await fixture.ApplyAsync("e109", annotations: new Dictionary<string, string> { [Annotations.RequestedRef] = "v2.0.0" });
        Assert.Equal("v2.0.0", WebhookFixture.Annotation(await grain.Get(), Annotations.RequestedRef));

        using var response = await Http.SendAsync(WebhookRequests.Post("ns", "e109", """{"ref":"v2.0.0"}"""));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("{\"accepted\":true,\"message\":\"ref already set\",\"ref\":\"v2.0.0\"}\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task NoRefAnywhere_400AndParserFindsNothingInEmptyObjectOrNonJson()
    {
        await fixture.ApplyAsync("e110");

        using var response = await Http.SendAsync(WebhookRequests.Post("ns", "e110", """{"nothing":"here"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(WebhookPayloadParser.Parse("{}"u8.ToArray()));
        Assert.Null(WebhookPayloadParser.Parse("not json"u8.ToArray()));
    }

    [Fact]
    public void HmacValidation_CorrectPassesWrongDigestMissingPrefixOrEmptySecretFail()
    {
        var body = """{"ref":"v1"}"""u8.ToArray();
        var good = WebhookSignature.Sign(body, "k");

        Assert.True(WebhookSignature.IsValidHmac(body, good, "k"));
        Assert.False(WebhookSignature.IsValidHmac(body, WebhookSignature.Sign(body, "other"), "k"));
        Assert.False(WebhookSignature.IsValidHmac(body, good["sha256=".Length..], "k"));
        Assert.False(WebhookSignature.IsValidHmac(body, "sha256=" + good["sha256=".Length..].ToUpperInvariant(), "k"));
        Assert.False(WebhookSignature.IsValidHmac(body, WebhookSignature.Sign(body, ""), ""));
        Assert.False(WebhookSignature.IsValidHmac(body, null, "k"));
    }

    [Fact]
    public void PayloadPrecedence_ReleaseBeatsRef_EmptyFreightFallsBackToGeneric()
    {
        Assert.Equal(new WebhookPayload("v9", "github"), WebhookPayloadParser.Parse("""{"ref":"generic-ref","release":{"tag_name":"v9"}}"""u8.ToArray()));
        Assert.Equal(new WebhookPayload("v8", "generic"), WebhookPayloadParser.Parse("""{"freight":{"commits":[]},"ref":"v8"}"""u8.ToArray()));
    }

    [Fact]
    public async Task Metric_CountsGeneric202_Generic404_Unknown401()
    {
        await using var secured = await fixture.StartReceiverAsync(WebhookRequests.Settings(bearer: "metric-token"));
        await fixture.ApplyAsync("e113");
        var accepted = Counter("generic", "202");
        var notFound = Counter("generic", "404");
        var unauthorized = Counter("unknown", "401");

        using var a = await secured.Http.SendAsync(WebhookRequests.Post("ns", "e113", """{"ref":"v3.0.0"}""", bearer: "Bearer metric-token"));
        using var b = await secured.Http.SendAsync(WebhookRequests.Post("ns", "e113-nobody", """{"ref":"v3.0.0"}""", bearer: "Bearer metric-token"));
        using var c = await secured.Http.SendAsync(WebhookRequests.Post("ns", "e113", """{"ref":"v3.0.0"}""", bearer: "Bearer wrong"));

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.NotFound, HttpStatusCode.Unauthorized], new[] { a.StatusCode, b.StatusCode, c.StatusCode });
        Assert.Equal(accepted + 1, Counter("generic", "202"));
        Assert.Equal(notFound + 1, Counter("generic", "404"));
        Assert.Equal(unauthorized + 1, Counter("unknown", "401"));
        var exposition = await Exposition();
        Assert.Contains($"stoker_webhook_receiver_requests_total{{source=\"generic\",status_code=\"202\"}} {accepted + 1}", exposition, StringComparison.Ordinal);
        Assert.Contains($"stoker_webhook_receiver_requests_total{{source=\"unknown\",status_code=\"401\"}} {unauthorized + 1}", exposition, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Routing_OtherMethod405WithAllowPost_OtherPaths404()
    {
        using var get = await Http.GetAsync(new Uri("/webhook/ns/e98", UriKind.Relative));
        using var deeper = await Http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/webhook/ns/e98/extra") { Content = new StringContent("""{"ref":"v1"}""") });
        using var shallower = await Http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/webhook/ns") { Content = new StringContent("""{"ref":"v1"}""") });

        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
        Assert.Equal("POST", string.Join(",", get.Content.Headers.Allow));
        Assert.Equal(HttpStatusCode.NotFound, deeper.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, shallower.StatusCode);
    }

    internal static double Counter(string source, string statusCode) => WebhookReceiverMetrics.RequestsTotal.WithLabels(source, statusCode).Value;

    internal static async Task<string> Exposition()
    {
        using var stream = new MemoryStream();
        await Prometheus.Metrics.DefaultRegistry.CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
