using System.Net;
using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Tests.Webhooks;

/// <summary>The port's authorization rules: secure default, insecure mode, per-resource secrets, no enumeration.</summary>
[Collection(WebhookCollection.Name)]
public sealed class ReceiverAuthTests(WebhookFixture fixture)
{
    private const string Body = """{"ref":"v2.0.0"}""";

    [Fact]
    public async Task NoSecretConfigured_NotInsecureMode_401AndNothingChanges()
    {
        await using var receiver = await fixture.StartReceiverAsync(WebhookRequests.Settings());
        var grain = await fixture.ApplyAsync("auth-default");

        using var plain = await receiver.Http.SendAsync(WebhookRequests.Post("ns", "auth-default", Body));
        using var signed = await receiver.Http.SendAsync(WebhookRequests.Post("ns", "auth-default", Body, hmacSecret: "anything", bearer: "Bearer anything"));

        Assert.Equal(HttpStatusCode.Unauthorized, plain.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, signed.StatusCode);
        Assert.Null(WebhookFixture.Annotation(await grain.Get(), Annotations.RequestedRef));
    }

    [Fact]
    public async Task NoSecretConfigured_AllowUnauthenticated_202()
    {
        await using var receiver = await fixture.StartReceiverAsync(WebhookRequests.Settings(allowUnauthenticated: true));
        var grain = await fixture.ApplyAsync("auth-insecure");

        using var response = await receiver.Http.SendAsync(WebhookRequests.Post("ns", "auth-insecure", Body));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("v2.0.0", WebhookFixture.Annotation(await grain.Get(), Annotations.RequestedRef));
    }

    [Fact]
    public async Task GlobalSecretConfigured_AllowUnauthenticated_UnsignedStill401()
    {
        await using var receiver = await fixture.StartReceiverAsync(WebhookRequests.Settings(hmac: "global", allowUnauthenticated: true));
        await fixture.ApplyAsync("auth-insecure-secret");

        using var response = await receiver.Http.SendAsync(WebhookRequests.Post("ns", "auth-insecure-secret", Body));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task WrongHmac_WrongKeyUpperCaseHexOrNoPrefix_401()
    {
        await using var receiver = await fixture.StartReceiverAsync(WebhookRequests.Settings(hmac: "global"));
        var grain = await fixture.ApplyAsync("auth-wrong-hmac");
        var good = Stoker.Silo.Webhooks.WebhookSignature.Sign(System.Text.Encoding.UTF8.GetBytes(Body), "global");

        using var wrongKey = await receiver.Http.SendAsync(WebhookRequests.Post("ns", "auth-wrong-hmac", Body, hmacSecret: "not-global"));
        using var upper = await receiver.Http.SendAsync(WebhookRequests.Post("ns", "auth-wrong-hmac", Body, signature: "sha256=" + good["sha256=".Length..].ToUpperInvariant()));
        using var noPrefix = await receiver.Http.SendAsync(WebhookRequests.Post("ns", "auth-wrong-hmac", Body, signature: good["sha256=".Length..]));
        using var otherBody = await receiver.Http.SendAsync(WebhookRequests.Post("ns", "auth-wrong-hmac", """{"ref":"v3.0.0"}""", signature: good));

        Assert.All(new[] { wrongKey, upper, noPrefix, otherBody }, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.Null(WebhookFixture.Annotation(await grain.Get(), Annotations.RequestedRef));
    }

    [Fact]
    public async Task Bearer_ExactHeaderOnly_CaseAndSpacingMatter()
    {
        await using var receiver = await fixture.StartReceiverAsync(WebhookRequests.Settings(bearer: "tok"));
        await fixture.ApplyAsync("auth-bearer");

        using var lower = await receiver.Http.SendAsync(WebhookRequests.Post("ns", "auth-bearer", Body, bearer: "bearer tok"));
        using var twoSpaces = await receiver.Http.SendAsync(WebhookRequests.Post("ns", "auth-bearer", Body, bearer: "Bearer  tok"));
        using var good = await receiver.Http.SendAsync(WebhookRequests.Post("ns", "auth-bearer", Body, bearer: "Bearer tok"));

        Assert.Equal(HttpStatusCode.Unauthorized, lower.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, twoSpaces.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, good.StatusCode);
    }

    [Fact]
    public async Task ResourceSecret_ReplacesGlobalForThatResourceOnly()
    {
        fixture.WriteSecret("ns", "own-hook", new Dictionary<string, string> { ["hmac"] = "own-secret\n" });
        await using var receiver = await fixture.StartReceiverAsync(WebhookRequests.Settings(hmac: "global"));
        var own = await fixture.ApplyAsync("auth-own", annotations: new Dictionary<string, string> { [Annotations.WebhookSecret] = "own-hook" });
        var plain = await fixture.ApplyAsync("auth-plain");

        using var ownWithGlobal = await receiver.Http.SendAsync(WebhookRequests.Post("ns", "auth-own", Body, hmacSecret: "global"));
        using var ownWithOwn = await receiver.Http.SendAsync(WebhookRequests.Post("ns", "auth-own", Body, hmacSecret: "own-secret"));
        using var plainWithOwn = await receiver.Http.SendAsync(WebhookRequests.Post("ns", "auth-plain", Body, hmacSecret: "own-secret"));
        using var plainWithGlobal = await receiver.Http.SendAsync(WebhookRequests.Post("ns", "auth-plain", Body, hmacSecret: "global"));

        Assert.Equal(HttpStatusCode.Unauthorized, ownWithGlobal.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, ownWithOwn.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, plainWithOwn.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, plainWithGlobal.StatusCode);
        Assert.Equal("v2.0.0", WebhookFixture.Annotation(await own.Get(), Annotations.RequestedRef));
        Assert.Equal("v2.0.0", WebhookFixture.Annotation(await plain.Get(), Annotations.RequestedRef));
    }

    [Fact]
    public async Task ResourceSecret_TokenKey_AcceptsBearerWithoutAnyGlobalSecret()
    {
        fixture.WriteSecret("ns", "token-hook", new Dictionary<string, string> { ["token"] = "resource-token" });
        await using var receiver = await fixture.StartReceiverAsync(WebhookRequests.Settings());
        await fixture.ApplyAsync("auth-own-token", annotations: new Dictionary<string, string> { [Annotations.WebhookSecret] = "token-hook" });

        using var good = await receiver.Http.SendAsync(WebhookRequests.Post("ns", "auth-own-token", Body, bearer: "Bearer resource-token"));
        using var bad = await receiver.Http.SendAsync(WebhookRequests.Post("ns", "auth-own-token", Body, bearer: "Bearer other"));

        Assert.Equal(HttpStatusCode.Accepted, good.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
    }

    [Fact]
    public async Task ResourceSecretMissing_RefusesEverythingEvenInInsecureMode()
    {
        await using var receiver = await fixture.StartReceiverAsync(WebhookRequests.Settings(allowUnauthenticated: true));
        var grain = await fixture.ApplyAsync("auth-own-missing", annotations: new Dictionary<string, string> { [Annotations.WebhookSecret] = "no-such-secret" });

        using var unsigned = await receiver.Http.SendAsync(WebhookRequests.Post("ns", "auth-own-missing", Body));
        using var signed = await receiver.Http.SendAsync(WebhookRequests.Post("ns", "auth-own-missing", Body, hmacSecret: "guess", bearer: "Bearer guess"));

        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, signed.StatusCode);
        Assert.Null(WebhookFixture.Annotation(await grain.Get(), Annotations.RequestedRef));
    }

    [Fact]
    public async Task UnauthorizedCaller_SameAnswerForUnknownResourceAndResourceWithOwnSecret()
    {
        fixture.WriteSecret("ns", "enum-hook", new Dictionary<string, string> { ["hmac"] = "enum-secret" });
        await using var receiver = await fixture.StartReceiverAsync(WebhookRequests.Settings(hmac: "global"));
        await fixture.ApplyAsync("auth-enum", annotations: new Dictionary<string, string> { [Annotations.WebhookSecret] = "enum-hook" });

        using var existing = await receiver.Http.SendAsync(WebhookRequests.Post("ns", "auth-enum", Body, hmacSecret: "guess"));
        using var unknown = await receiver.Http.SendAsync(WebhookRequests.Post("ns", "auth-enum-nobody", Body, hmacSecret: "guess"));
        using var existingGlobal = await receiver.Http.SendAsync(WebhookRequests.Post("ns", "auth-enum", Body, hmacSecret: "global"));

        foreach (var response in new[] { existing, unknown, existingGlobal })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("unauthorized", await WebhookRequests.ErrorAsync(response));
        }
    }
}
