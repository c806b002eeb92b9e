using System.Net;
using System.Net.Sockets;
using k8s;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Stoker.Grains.Gateways.Identity;
using Stoker.Grains.Interfaces.Messages;
using Stoker.Silo.Kubernetes.Identity;
using Stoker.Tests.FakeKubeApi;
using Stoker.Tests.Infrastructure;
using Stoker.Tests.Kubernetes.FakeApi;
using Stoker.Tests.Persistence;

namespace Stoker.Tests.Kubernetes.Identity;

/// <summary>
/// The TokenReview check against the fake API server over real HTTP, through KubernetesClient: who is accepted for
/// which gateway, every refusal reason with its message, the cache, and an API server that is dead or hangs.
/// </summary>
public sealed class TokenReviewVerifierTests : IAsyncLifetime
{
    private const string Site = "plant/site/ignition-0";
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-12-06T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly CapturedLogs _logs = new();
    private FakeApiHarness _fake = null!;
    private System.Text.Json.Nodes.JsonObject _pod = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeApiHarness.StartAsync(new FakeKubeApiOptions { Time = _clock });
        _pod = IdentityTokens.SeedPod(_fake.Server, "plant", "ignition-0", new Dictionary<string, string> { ["stoker.io/cr-name"] = "site" });
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    private static AgentRegistration Registration(string pod = "ignition-0", string ns = "plant", string agentId = "agent-1") =>
        new() { AgentId = agentId, AgentVersion = "test", PodName = pod, PodNamespace = ns };

    private TokenReviewRegistrationVerifier Verifier(AgentIdentityOptions? options = null, IKubernetes? client = null, TimeProvider? time = null)
    {
        using var factory = LoggerFactory.Create(b => b.AddProvider(_logs));
        return new TokenReviewRegistrationVerifier(client ?? _fake.Client, Options.Create(options ?? new AgentIdentityOptions()), time ?? _clock,
            factory.CreateLogger<TokenReviewRegistrationVerifier>());
    }

    private int TokenReviews => _fake.Server.Requests.Count(r => r.Resource == "tokenreviews");

    private string Issue(System.Text.Json.Nodes.JsonObject? pod = null, TimeSpan? lifetime = null, string audience = IdentityTokens.Audience) =>
        IdentityTokens.IssueFor(_fake.Server, pod ?? _pod, _clock.GetUtcNow() + (lifetime ?? TimeSpan.FromMinutes(10)), audience);

    [Fact]
    public async Task Verify_TokenOfThePodForItsGateway_IsAccepted()
    {
        var verdict = await Verifier().VerifyAsync(Site, Registration(), new AgentIdentityToken(Issue()), default);

        Assert.True(verdict.IsAccepted, verdict.Message);
        var reviews = _fake.Server.Requests.Where(r => r.Resource is "tokenreviews" or "pods").Select(r => $"{r.Verb} {r.Resource} {r.Namespace}/{r.Name}").ToList();
        Assert.Equal(["create tokenreviews /", "get pods plant/ignition-0"], reviews);
        Assert.Contains(_logs.Lines, l => l.Contains("Agent identity verified: pod plant/ignition-0, gateway plant/site/ignition-0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Verify_GatewayNamedByAnnotation_UsesThePodGatewayRule()
    {
        var pod = IdentityTokens.SeedPod(_fake.Server, "plant", "line-7f9c", new Dictionary<string, string> { ["stoker.io/cr-name"] = "site", ["stoker.io/gateway-name"] = "line-a" },
            new Dictionary<string, string> { ["app.kubernetes.io/name"] = "ignition" });
        var token = new AgentIdentityToken(Issue(pod));
        var verifier = Verifier();

        Assert.True((await verifier.VerifyAsync("plant/site/line-a", Registration("line-7f9c"), token, default)).IsAccepted);
        var byPodName = await verifier.VerifyAsync("plant/site/line-7f9c", Registration("line-7f9c"), token, default);
        Assert.Equal(RegistrationRefusalReasons.GatewayMismatch, byPodName.Reason);
    }

    [Fact]
    public async Task Verify_NoToken_IsRefusedUnlessAllowed_AndAPresentedTokenIsAlwaysChecked()
    {
        var refused = await Verifier().VerifyAsync(Site, Registration(), null, default);
        Assert.Equal(RegistrationRefusalReasons.NoToken, refused.Reason);
        Assert.Equal("registration for gateway plant/site/ignition-0 refused: no identity token was presented; in Kubernetes mode an agent presents its pod's "
            + "projected service-account token (audience \"stoker\", the file AGENT_TOKEN_FILE names)", refused.Message);

        var lenient = Verifier(new AgentIdentityOptions { AllowRegistrationsWithoutToken = true });
        Assert.True((await lenient.VerifyAsync(Site, Registration(), null, default)).IsAccepted);
        Assert.Equal(RegistrationRefusalReasons.TokenRejected, (await lenient.VerifyAsync(Site, Registration(), new AgentIdentityToken("forged"), default)).Reason);
        Assert.Equal(1, TokenReviews);
    }

    [Fact]
    public async Task Verify_TokenTheApiServerRejects_IsRefusedWithItsReason_NeverEchoingTheToken()
    {
        var verifier = Verifier();
        const string forged = "eyJhbGciOiJub25lIn0.eyJleHAiOjE5MDAwMDAwMDB9.forged-secret-part";
        var unknown = await verifier.VerifyAsync(Site, Registration(), new AgentIdentityToken(forged), default);
        var otherAudience = await verifier.VerifyAsync(Site, Registration(), new AgentIdentityToken(Issue(audience: "https://kubernetes.default.svc.cluster.local")), default);

        Assert.Equal(RegistrationRefusalReasons.TokenRejected, unknown.Reason);
        Assert.Equal("registration for gateway plant/site/ignition-0 refused: the Kubernetes API server did not accept the identity token for audience \"stoker\" "
            + "([invalid bearer token, token lookup failed]); an expired or revoked token, or one of another audience", unknown.Message);
        Assert.Equal(RegistrationRefusalReasons.TokenRejected, otherAudience.Reason);
        Assert.Contains("token audiences is invalid", otherAudience.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("forged-secret-part", unknown.Message + _logs.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_TokenOfAUserOrAPlainServiceAccount_IsNotAPod()
    {
        _fake.Server.RegisterToken("alice", new TokenIdentity("alice", ["stoker"], new Dictionary<string, IReadOnlyList<string>>()));
        _fake.Server.RegisterToken("legacy", new TokenIdentity("system:serviceaccount:plant:gateway", ["stoker"], new Dictionary<string, IReadOnlyList<string>>()));
        var verifier = Verifier();

        var alice = await verifier.VerifyAsync(Site, Registration(), new AgentIdentityToken("alice"), default);
        var legacy = await verifier.VerifyAsync(Site, Registration(), new AgentIdentityToken("legacy"), default);

        Assert.Equal(RegistrationRefusalReasons.NotAPod, alice.Reason);
        Assert.StartsWith("registration for gateway plant/site/ignition-0 refused: the identity token is alice's, not a pod's service-account token", alice.Message, StringComparison.Ordinal);
        Assert.Equal(RegistrationRefusalReasons.NotAPod, legacy.Reason);
    }

    [Fact]
    public async Task Verify_TokenOfADeletedOrReplacedPod_IsRefused()
    {
        var token = Issue();
        var replaced = IdentityTokens.SeedPod(_fake.Server, "plant", "ignition-9", new Dictionary<string, string> { ["stoker.io/cr-name"] = "site" });
        var stale = "stale-" + Guid.NewGuid().ToString("N");
        _fake.Server.RegisterToken(stale, TokenIdentity.ForPod("plant", "gateway", "ignition-9", ["stoker"]));
        await _fake.Client.CoreV1.DeleteNamespacedPodAsync("ignition-0", "plant");
        var verifier = Verifier();

        var gone = await verifier.VerifyAsync(Site, Registration(), new AgentIdentityToken(token), default);
        var otherUid = await verifier.VerifyAsync("plant/site/ignition-9", Registration("ignition-9"), new AgentIdentityToken(stale), default);

        Assert.Equal(RegistrationRefusalReasons.PodGone, gone.Reason);
        Assert.Equal("registration for gateway plant/site/ignition-0 refused: the identity token is pod plant/ignition-0's, which no longer exists", gone.Message);
        Assert.Equal(RegistrationRefusalReasons.PodGone, otherUid.Reason);
        Assert.Contains($"but that pod is now another one (uid {replaced["metadata"]!["uid"]})", otherUid.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_TokenOfAnotherPod_IsRefusedNamingBothGateways()
    {
        var other = IdentityTokens.SeedPod(_fake.Server, "plant", "ignition-1", new Dictionary<string, string> { ["stoker.io/cr-name"] = "site" });
        var noGatewaySync = IdentityTokens.SeedPod(_fake.Server, "plant", "web-0", new Dictionary<string, string>());
        var verifier = Verifier();

        var mismatch = await verifier.VerifyAsync(Site, Registration(), new AgentIdentityToken(Issue(other)), default);
        var plain = await verifier.VerifyAsync(Site, Registration(), new AgentIdentityToken(Issue(noGatewaySync)), default);
        var podNamed = await verifier.VerifyAsync(Site, Registration("ignition-5"), new AgentIdentityToken(Issue()), default);

        Assert.Equal(RegistrationRefusalReasons.GatewayMismatch, mismatch.Reason);
        Assert.Equal("registration for gateway plant/site/ignition-0 refused: the identity token is pod plant/ignition-1's, which stands for gateway "
            + "plant/site/ignition-1, not gateway plant/site/ignition-0", mismatch.Message);
        Assert.Contains("which names no GatewaySync (annotation stoker.io/cr-name)", plain.Message, StringComparison.Ordinal);
        Assert.Equal("registration for gateway plant/site/ignition-0 refused: the registration names pod plant/ignition-5, but the identity token is "
            + "pod plant/ignition-0's", podNamed.Message);
    }

    [Fact]
    public async Task Verify_VerifiedToken_IsCachedUntilTheShorterOfItsExpiryAndTheCacheDuration()
    {
        var verifier = Verifier(new AgentIdentityOptions { CacheDuration = TimeSpan.FromMinutes(5) });
        var longLived = Issue(lifetime: TimeSpan.FromHours(1));
        var shortLived = Issue(lifetime: TimeSpan.FromMinutes(2));
        Assert.True((await verifier.VerifyAsync(Site, Registration(), new AgentIdentityToken(longLived), default)).IsAccepted);
        Assert.True((await verifier.VerifyAsync(Site, Registration(), new AgentIdentityToken(shortLived), default)).IsAccepted);
        Assert.Equal(2, TokenReviews);

        // Revoked at the API server, still trusted from the cache: a revocation takes effect within the cache duration.
        _fake.Server.RevokeToken(longLived);
        Assert.True((await verifier.VerifyAsync(Site, Registration(), new AgentIdentityToken(longLived), default)).IsAccepted);
        Assert.True((await verifier.VerifyAsync(Site, Registration(), new AgentIdentityToken(shortLived), default)).IsAccepted);
        Assert.Equal(2, TokenReviews);

        // Past the short token's exp (read from the JWT): asked again, and the API server says it expired.
        _clock.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        var expired = await verifier.VerifyAsync(Site, Registration(), new AgentIdentityToken(shortLived), default);
        Assert.Equal(RegistrationRefusalReasons.TokenRejected, expired.Reason);
        Assert.Contains("service account token has expired", expired.Message, StringComparison.Ordinal);
        Assert.True((await verifier.VerifyAsync(Site, Registration(), new AgentIdentityToken(longLived), default)).IsAccepted);
        Assert.Equal(3, TokenReviews);

        // Past the cache duration: the revoked token is asked about again and refused.
        _clock.Advance(TimeSpan.FromMinutes(3));
        var revoked = await verifier.VerifyAsync(Site, Registration(), new AgentIdentityToken(longLived), default);
        Assert.Equal(RegistrationRefusalReasons.TokenRejected, revoked.Reason);
        Assert.Equal(4, TokenReviews);
    }

    [Fact]
    public async Task Verify_CacheDurationZero_AsksEveryTime()
    {
        var verifier = Verifier(new AgentIdentityOptions { CacheDuration = TimeSpan.Zero });
        var token = new AgentIdentityToken(Issue());
        Assert.True((await verifier.VerifyAsync(Site, Registration(), token, default)).IsAccepted);
        _fake.Server.RevokeToken(token.Value);

        Assert.Equal(RegistrationRefusalReasons.TokenRejected, (await verifier.VerifyAsync(Site, Registration(), token, default)).Reason);
        Assert.Equal(2, TokenReviews);
    }

    [Fact]
    public async Task Verify_OversizedToken_IsRefusedWithoutAReview()
    {
        var verdict = await Verifier().VerifyAsync(Site, Registration(), new AgentIdentityToken(new string('x', AgentIdentityToken.MaxLength + 1)), default);

        Assert.Equal(RegistrationRefusalReasons.TokenRejected, verdict.Reason);
        Assert.Equal($"registration for gateway plant/site/ignition-0 refused: the identity token is {AgentIdentityToken.MaxLength + 1} characters long, more than {AgentIdentityToken.MaxLength}", verdict.Message);
        Assert.Equal(0, TokenReviews);
    }

    [Fact]
    public async Task Verify_Refusals_AreLoggedOncePerClientAndReason_AndCounted()
    {
        var verifier = Verifier();
        var before = AgentIdentityMetrics.RefusedTotal.WithLabels(RegistrationRefusalReasons.NoToken).Value;

        for (var i = 0; i < 3; i++)
        {
            await verifier.VerifyAsync(Site, Registration(agentId: "agent-1"), null, default);
        }

        await verifier.VerifyAsync(Site, Registration(agentId: "agent-2\nforged line"), null, default);

        Assert.True(AgentIdentityMetrics.RefusedTotal.WithLabels(RegistrationRefusalReasons.NoToken).Value - before >= 4);
        var lines = _logs.Lines.Where(l => l.Contains("Agent registration for gateway plant/site/ignition-0", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Contains(lines, l => l.Contains("(agent agent-1) refused (no_token): registration for gateway", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("(agent agent-2\\nforged line) refused", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Verify_ApiServerDown_IsARetryableRefusal()
    {
        await _fake.Server.StopAsync();

        var verdict = await Verifier(time: TimeProvider.System).VerifyAsync(Site, Registration(), new AgentIdentityToken("any"), default);

        Assert.Equal(RegistrationRefusalReasons.Unavailable, verdict.Reason);
        Assert.StartsWith("registration for gateway plant/site/ignition-0 refused for now: its identity token cannot be checked: the Kubernetes API server cannot be reached",
            verdict.Message, StringComparison.Ordinal);
        Assert.EndsWith("; the agent retries", verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ApiServerThatNeverAnswers_IsRefusedAfterTheReviewTimeout()
    {
        // Accepts connections and reads requests, never answers: a hung API server.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var stop = new CancellationTokenSource();
        var held = new List<TcpClient>();
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    held.Add(await listener.AcceptTcpClientAsync(stop.Token));
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        using var temp = new TempDirectory("hung-api");
        var kubeconfig = temp.Combine("kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: hung
              cluster:
                server: http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}
            users:
            - name: hung
              user:
                token: x
            contexts:
            - name: hung
              context:
                cluster: hung
                user: hung
            current-context: hung
            """);
        using var client = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));

        var verdict = await Verifier(new AgentIdentityOptions { ReviewTimeout = TimeSpan.FromMilliseconds(300) }, client, TimeProvider.System)
            .VerifyAsync(Site, Registration(), new AgentIdentityToken("any"), default);

        await stop.CancelAsync();
        await accepting;
        held.ForEach(c => c.Dispose());
        Assert.Equal(RegistrationRefusalReasons.Unavailable, verdict.Reason);
        Assert.Equal("registration for gateway plant/site/ignition-0 refused for now: its identity token cannot be checked: the Kubernetes API server did not "
            + "answer within 0.3 s; the agent retries", verdict.Message);
    }

    [Fact]
    public async Task Verify_SiloWithoutRbacForTokenReviews_SaysSo()
    {
        _fake.Server.InjectFailure(r => r.Resource == "tokenreviews", 403);

        var verdict = await Verifier().VerifyAsync(Site, Registration(), new AgentIdentityToken(Issue()), default);

        Assert.Equal(RegistrationRefusalReasons.Unavailable, verdict.Reason);
        Assert.Contains("the silo may not check it (HTTP 403: the silo's RBAC must allow creating tokenreviews and getting pods)", verdict.Message, StringComparison.Ordinal);
    }
}
