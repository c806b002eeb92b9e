using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Stoker.Tests.FakeKubeApi;
using Stoker.Tests.Infrastructure;
using Stoker.Tests.Kubernetes.Mode;

namespace Stoker.Tests.Authentication;

/// <summary>
/// Issue 14 point 3 in Kubernetes mode: a real silo process authenticates bearer tokens with TokenReview and lets
/// cluster RBAC decide through SubjectAccessReview, both against the fake API server at the wire. Its loopback
/// admin token (a silo process of the tests binds 127.0.0.1) plays no part here: every call names its token.
/// </summary>
public sealed class KubernetesApiAuthenticationTests : IAsyncLifetime
{
    private const string AliceToken = "alice-bearer-token";
    private const string BobToken = "bob-bearer-token";
    private const string PlantPath = "/apis/stoker.io/v1alpha1/namespaces/plant/gatewaysyncs";

    private KubernetesModeBed? _bed;
    private SiloProcess? _silo;

    private KubernetesModeBed Bed => _bed ?? throw new InvalidOperationException("not started");

    private SiloProcess Silo => _silo ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        _bed = await KubernetesModeBed.StartAsync();
        Bed.Api.RegisterToken(AliceToken, new TokenIdentity("alice", [TokenIdentity.ApiServerAudience], new Dictionary<string, IReadOnlyList<string>>(), "uid-alice", ["devs", "system:authenticated"]));
        Bed.Api.RegisterToken(BobToken, new TokenIdentity("bob", [TokenIdentity.ApiServerAudience], new Dictionary<string, IReadOnlyList<string>>(), "uid-bob", ["system:authenticated"]));
        // What a Role would grant: alice reads GatewaySyncs in plant; the devs group opens the dashboard.
        Bed.Api.Allow(new AccessRule("alice", "list", "stoker.io", "gatewaysyncs", "plant"));
        Bed.Api.Allow(new AccessRule("alice", "get", "stoker.io", "gatewaysyncs", "plant"));
        Bed.Api.Allow(new AccessRule("devs", "get", Path: "/dashboard"));
        _silo = await SiloProcess.StartAsync(new SiloProcessSettings
        {
            Name = "k8s-auth",
            Environment = new Dictionary<string, string>
            {
                ["Stoker__Silo__Mode"] = "Kubernetes",
                ["Stoker__Kubernetes__KubeconfigPath"] = Bed.Kubeconfig,
                ["Stoker__Kubernetes__Identity"] = "silo-auth",
                ["Stoker__Kubernetes__LeaderElection"] = "false",
            },
        });
    }

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        if (_bed is not null)
        {
            await _bed.DisposeAsync();
        }
    }

    [Fact]
    public async Task RbacAllows_200_AndTheReviewsAreCached()
    {
        using (var first = await SendAsync(HttpMethod.Get, PlantPath, Bearer(AliceToken)))
        {
            Assert.True(first.StatusCode == HttpStatusCode.OK, $"{(int)first.StatusCode} {await first.Content.ReadAsStringAsync()}\n{Silo.Output}");
        }

        var reviews = Reviews();
        using (var second = await SendAsync(HttpMethod.Get, PlantPath, Bearer(AliceToken)))
        {
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        }

        // The same token and the same request within the caches' lifetimes: no new review.
        Assert.Equal(reviews, Reviews());
        Assert.True(reviews.TokenReviews >= 1 && reviews.AccessReviews >= 1, $"{reviews}");
    }

    [Fact]
    public async Task RbacDenies_403_WithTheApiServersWording()
    {
        foreach (var (method, path, body, expected) in new (HttpMethod, string, string?, string)[]
        {
            (HttpMethod.Get, "/apis/stoker.io/v1alpha1/namespaces/other/gatewaysyncs", null,
                "gatewaysyncs.stoker.io is forbidden: User \"alice\" cannot list resource \"gatewaysyncs\" in API group \"stoker.io\" in the namespace \"other\": no RBAC policy matched"),
            (HttpMethod.Delete, PlantPath + "/site", null,
                "gatewaysyncs.stoker.io \"site\" is forbidden: User \"alice\" cannot delete resource \"gatewaysyncs\" in API group \"stoker.io\" in the namespace \"plant\": no RBAC policy matched"),
            (HttpMethod.Get, "/apis/stoker.io/v1alpha1/gatewaysyncs", null,
                "gatewaysyncs.stoker.io is forbidden: User \"alice\" cannot list resource \"gatewaysyncs\" in API group \"stoker.io\" at the cluster scope: no RBAC policy matched"),
        })
        {
            using var response = await SendAsync(method, path, Bearer(AliceToken), body);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {path}: {(int)response.StatusCode} {text}");
            var status = JsonNode.Parse(text)!;
            Assert.Equal("Forbidden", (string?)status["reason"]);
            Assert.Equal(expected, (string?)status["message"]);
        }

        using var bob = await SendAsync(HttpMethod.Get, PlantPath, Bearer(BobToken));
        Assert.Equal(HttpStatusCode.Forbidden, bob.StatusCode);
    }

    [Fact]
    public async Task UnknownToken_401_NoToken_401()
    {
        using (var unknown = await SendAsync(HttpMethod.Get, PlantPath, Bearer("nobody-knows-this")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
            Assert.Equal("Unauthorized", (string?)JsonNode.Parse(await unknown.Content.ReadAsStringAsync())!["reason"]);
        }

        Bed.Api.RevokeToken(BobToken);
        using (var revoked = await SendAsync(HttpMethod.Get, PlantPath, Bearer(BobToken)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        }

        using var none = await SendAsync(HttpMethod.Get, PlantPath, null);
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
    }

    [Fact]
    public async Task Dashboard_IsTheNonResourceUrl_ForRbac_BasicWithTheToken()
    {
        using (var alice = await SendAsync(HttpMethod.Get, "/dashboard/", new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:" + AliceToken)))))
        {
            Assert.Equal(HttpStatusCode.OK, alice.StatusCode);
        }

        using var bob = await SendAsync(HttpMethod.Get, "/dashboard/", Bearer(BobToken));
        Assert.Equal(HttpStatusCode.Forbidden, bob.StatusCode);
        Assert.Equal("forbidden: User \"bob\" cannot get path \"/dashboard\": no RBAC policy matched", (await bob.Content.ReadAsStringAsync()).Trim());
    }

    [Fact]
    public async Task ApiServerGone_503_NotAnOpenDoor()
    {
        var failure = Bed.Api.InjectFailure(r => r.Resource == "tokenreviews", 500, times: 1);
        using var response = await SendAsync(HttpMethod.Get, PlantPath, Bearer("a-token-never-seen"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode} {text}");
        Assert.Contains("the Kubernetes API server answered HTTP 500 to a tokenreviews request", text, StringComparison.Ordinal);
        GC.KeepAlive(failure);
    }

    private (int TokenReviews, int AccessReviews) Reviews()
    {
        var requests = Bed.Api.Requests;
        return (requests.Count(r => r.Resource == "tokenreviews"), requests.Count(r => r.Resource == "subjectaccessreviews"));
    }

    private static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, AuthenticationHeaderValue? authorization, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = authorization;
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/yaml");
        }

        return await Silo.Anonymous.SendAsync(request);
    }
}
