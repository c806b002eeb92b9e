using Stoker.AgentClient.Control;
using Stoker.Grains.Interfaces.Grains;
using Stoker.Grains.Interfaces.Messages;
using Stoker.Tests.Infrastructure;
using Stoker.Tests.Kubernetes.Mode;

namespace Stoker.Tests.Kubernetes.Identity;

/// <summary>
/// The Gateway grain's side, on a real silo in Kubernetes mode against the fake API server: the check runs before the
/// session (new or resumed), its refusal reaches the client as the call's error, and the token is kept nowhere.
/// </summary>
public sealed class GatewayRegistrationIdentityTests : IAsyncLifetime
{
    private KubernetesModeBed _bed = null!;

    public async Task InitializeAsync() => _bed = await KubernetesModeBed.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task Register_KubernetesMode_AcceptsOnlyThePodsTokenForItsGateway_RefusesARevokedOneOnReRegistration_AndKeepsItNowhere()
    {
        var silo = await _bed.StartSiloAsync(settings: new Dictionary<string, string?>
        {
            ["Stoker:Kubernetes:AgentIdentity:AllowRegistrationsWithoutToken"] = "false",
            ["Stoker:Kubernetes:AgentIdentity:CacheDuration"] = "00:00:00",
        });
        await _bed.CreateAsync("plant", "site");
        await Eventually.Until(() => _bed.GetAsync("plant", "site"),
            r => KubernetesModeBed.Text(KubernetesModeBed.Condition(r, "RefResolved")?["status"]) == "True", TimeSpan.FromSeconds(60), "the resource applied");
        var pod = IdentityTokens.SeedPod(_bed.Api, "plant", "ignition-0", new Dictionary<string, string> { ["stoker.io/cr-name"] = "site" });
        var token = IdentityTokens.IssueFor(_bed.Api, pod, TimeProvider.System.GetUtcNow().AddMinutes(10));
        var observer = silo.Client.CreateObjectReference<IGatewayObserver>(new DesiredStateInbox(Serializers.DesiredState));
        var grain = silo.Client.GetGrain<IGatewayAgentGrain>("plant/site/ignition-0");
        var registration = new AgentRegistration { AgentId = "agent-1", AgentVersion = "test", PodName = "ignition-0", PodNamespace = "plant", Identity = new AgentIdentityToken(token) };

        var withoutToken = await Assert.ThrowsAsync<CallRefusedException>(() => grain.Register(registration with { Identity = null }, observer, null));
        var elsewhere = await Assert.ThrowsAsync<CallRefusedException>(() =>
            silo.Client.GetGrain<IGatewayAgentGrain>("plant/site/ignition-1").Register(registration with { PodName = "ignition-1" }, observer, null));
        var session = await grain.Register(registration, observer, null);
        var snapshot = await silo.Client.GetGrain<IGatewayGrain>("plant/site/ignition-0").GetSnapshot();

        Assert.StartsWith("registration for gateway plant/site/ignition-0 refused: no identity token was presented", withoutToken.Message, StringComparison.Ordinal);
        Assert.Equal("registration for gateway plant/site/ignition-1 refused: the identity token is pod plant/ignition-0's, which stands for gateway "
            + "plant/site/ignition-0, not gateway plant/site/ignition-1", elsewhere.Message);
        Assert.NotEmpty(session.Token);
        Assert.Equal("agent-1", snapshot.Agent!.AgentId);
        Assert.Null(snapshot.Agent.Identity);

        // Revoked at the API server: resuming the live session with it is refused too (the check comes before the session).
        _bed.Api.RevokeToken(token);
        var revoked = await Assert.ThrowsAsync<CallRefusedException>(() => grain.Register(registration, observer, session.Token));
        Assert.StartsWith("registration for gateway plant/site/ignition-0 refused: the Kubernetes API server did not accept the identity token", revoked.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(token, string.Join('\n', silo.Logs.Lines), StringComparison.Ordinal);
    }

    [Fact]
    public void AgentRegistration_Printed_ShowsNoToken()
    {
        var registration = new AgentRegistration { AgentId = "a", Identity = new AgentIdentityToken("eyJhbGciOi.secret-claims.signature") };

        Assert.DoesNotContain("secret-claims", registration.ToString(), StringComparison.Ordinal);
        Assert.Contains($"Identity = AgentIdentityToken(redacted, {registration.Identity!.Value.Length} characters)", registration.ToString(), StringComparison.Ordinal);
    }
}
