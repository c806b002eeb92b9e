using k8s;
using k8s.Models;
using Stoker.Tests.FakeKubeApi;

namespace Stoker.Tests.Kubernetes.FakeApi;

/// <summary>TokenReview answers from registered tokens: user, pod name in extra, audiences, expiry.</summary>
public sealed class FakeApiTokenReviewTests
{
    [Fact]
    public async Task A_registered_pod_token_authenticates_for_its_audience_only()
    {
        await using var fake = await FakeApiHarness.StartAsync();
        fake.Server.RegisterToken("agent-token", TokenIdentity.ForPod("plant", "gateway", "ignition-0", ["stoker"]));
        var auth = fake.Client.AuthenticationV1;

        var ok = await auth.CreateTokenReviewAsync(new V1TokenReview { Spec = new V1TokenReviewSpec { Token = "agent-token", Audiences = ["stoker"] } });
        Assert.True(ok.Status.Authenticated);
        Assert.Equal("system:serviceaccount:plant:gateway", ok.Status.User.Username);
        Assert.Equal(["ignition-0"], ok.Status.User.Extra["authentication.kubernetes.io/pod-name"]);
        Assert.Equal(["stoker"], ok.Status.Audiences);

        var wrongAudience = await auth.CreateTokenReviewAsync(new V1TokenReview { Spec = new V1TokenReviewSpec { Token = "agent-token", Audiences = ["other"] } });
        Assert.NotEqual(true, wrongAudience.Status.Authenticated);
        Assert.Contains("audience", wrongAudience.Status.Error, StringComparison.Ordinal);

        var noAudience = await auth.CreateTokenReviewAsync(new V1TokenReview { Spec = new V1TokenReviewSpec { Token = "agent-token" } });
        Assert.NotEqual(true, noAudience.Status.Authenticated);

        var unknown = await auth.CreateTokenReviewAsync(new V1TokenReview { Spec = new V1TokenReviewSpec { Token = "forged", Audiences = ["stoker"] } });
        Assert.NotEqual(true, unknown.Status.Authenticated);

        fake.Server.RevokeToken("agent-token");
        var revoked = await auth.CreateTokenReviewAsync(new V1TokenReview { Spec = new V1TokenReviewSpec { Token = "agent-token", Audiences = ["stoker"] } });
        Assert.NotEqual(true, revoked.Status.Authenticated);
        Assert.Equal(5, fake.Server.Requests.Count(r => r.Resource == "tokenreviews" && r.Verb == "create"));
    }

    [Fact]
    public async Task An_expired_token_no_longer_authenticates()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.Parse("2026-12-06T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var fake = await FakeApiHarness.StartAsync(new FakeKubeApiOptions { Time = clock });
        fake.Server.RegisterToken("short", TokenIdentity.ForPod("plant", "gateway", "ignition-1", ["stoker"], expiresAt: clock.GetUtcNow().AddMinutes(10)));
        var review = new V1TokenReview { Spec = new V1TokenReviewSpec { Token = "short", Audiences = ["stoker"] } };

        Assert.True((await fake.Client.AuthenticationV1.CreateTokenReviewAsync(review)).Status.Authenticated);
        clock.Advance(TimeSpan.FromMinutes(11));
        var expired = await fake.Client.AuthenticationV1.CreateTokenReviewAsync(review);
        Assert.NotEqual(true, expired.Status.Authenticated);
        Assert.Contains("expired", expired.Status.Error, StringComparison.Ordinal);
    }
}
