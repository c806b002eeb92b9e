using System.Net;
using System.Text;
using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Tests.Webhooks;

/// <summary>Bodies over the 1 MiB limit: the excess is discarded unread (docs/webhooks.md).</summary>
[Collection(WebhookCollection.Name)]
public sealed class BodyLimitTests(WebhookFixture fixture)
{
    private const int MiB = 1 << 20;

    [Fact]
    public async Task OverLimit_ValidJsonWithinTheFirstMiB_ExcessDiscardedAnd202()
    {
        await using var receiver = await fixture.StartReceiverAsync(WebhookRequests.Settings(bearer: "t"));
        var grain = await fixture.ApplyAsync("body-prefix");
        var body = Encoding.UTF8.GetBytes("""{"ref":"v4.0.0"}""" + new string(' ', 2 * MiB));

        using var response = await receiver.Http.SendAsync(WebhookRequests.Post("ns", "body-prefix", body, bearer: "Bearer t"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("v4.0.0", WebhookFixture.Annotation(await grain.Get(), Annotations.RequestedRef));
    }

    [Fact]
    public async Task OverLimit_JsonCutByTheLimit_400NoRef()
    {
        await using var receiver = await fixture.StartReceiverAsync(WebhookRequests.Settings(bearer: "t"));
        var grain = await fixture.ApplyAsync("body-cut");
        var body = Encoding.UTF8.GetBytes("""{"ref":"v4.0.0","padding":""" + "\"" + new string('x', 2 * MiB) + "\"}");

        using var response = await receiver.Http.SendAsync(WebhookRequests.Post("ns", "body-cut", body, bearer: "Bearer t"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("no ref found in payload", await WebhookRequests.ErrorAsync(response));
        Assert.Null(WebhookFixture.Annotation(await grain.Get(), Annotations.RequestedRef));
    }

    [Fact]
    public async Task OverLimit_SignedOverTheWholeBody_401BecauseOnlyTheFirstMiBIsChecked()
    {
        await using var receiver = await fixture.StartReceiverAsync(WebhookRequests.Settings(hmac: "k"));
        await fixture.ApplyAsync("body-signed");
        var body = Encoding.UTF8.GetBytes("""{"ref":"v4.0.0"}""" + new string(' ', MiB));

        using var response = await receiver.Http.SendAsync(WebhookRequests.Post("ns", "body-signed", body, hmacSecret: "k"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ExactlyAtLimit_SignedBody_202()
    {
        await using var receiver = await fixture.StartReceiverAsync(WebhookRequests.Settings(hmac: "k"));
        await fixture.ApplyAsync("body-exact");
        var json = """{"ref":"v4.0.0"}""";
        var body = Encoding.UTF8.GetBytes(json + new string(' ', MiB - json.Length));

        using var response = await receiver.Http.SendAsync(WebhookRequests.Post("ns", "body-exact", body, hmacSecret: "k"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task FarOverKestrelsOwnLimit_StreamedWithoutLength_FirstMiBStillReadAnd202()
    {
        await using var receiver = await fixture.StartReceiverAsync(WebhookRequests.Settings(bearer: "t"));
        var grain = await fixture.ApplyAsync("body-huge");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhook/ns/body-huge") { Content = new PaddedJsonContent("""{"ref":"v5.0.0"}""", 40 * MiB) };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer t");

        using var response = await receiver.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("close", string.Join(",", response.Headers.Connection));
        Assert.Equal("v5.0.0", WebhookFixture.Annotation(await grain.Get(), Annotations.RequestedRef));
    }
}
