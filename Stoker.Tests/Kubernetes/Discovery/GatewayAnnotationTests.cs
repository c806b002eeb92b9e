using Stoker.Grains.Interfaces.Messages;
using Stoker.Tests.ControlPlane;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Kubernetes.Discovery;

/// <summary>
/// A gateway pod's <c>stoker.io/profile</c> and <c>stoker.io/ref-override</c> annotations take effect without
/// restarting the pod: the gateway's desired state (as its Gateway grain holds and pushes it) follows them.
/// </summary>
public sealed class GatewayAnnotationTests : IAsyncLifetime
{
    private const string Ns = "plant";
    private const string Cr = "site";
    private DiscoveryBed _d = null!;

    public async Task InitializeAsync() => _d = await DiscoveryBed.StartAsync();

    public async Task DisposeAsync() => await _d.DisposeAsync();

    private static Dictionary<string, string> Map(params (string Key, string Value)[] entries) => entries.ToDictionary(e => e.Key, e => e.Value);

    private Task<GatewaySnapshot> DesiredUntilAsync(string gateway, Func<DesiredState, bool> done, string what) =>
        Eventually.Until(() => _d.SnapshotAsync(Ns, Cr, gateway), s => s.Desired is { } d && done(d), DiscoveryBed.Timeout, what);

    [Fact]
    public async Task A_profile_annotation_change_gives_that_gateway_a_new_desired_state_and_wins_over_the_agents_profile()
    {
        await _d.CreateResourceAsync(Ns, Cr);
        _d.AddPod(Ns, "gw-a", Cr);
        _d.AddPod(Ns, "gw-b", Cr);
        var first = (await DesiredUntilAsync("gw-a", d => d.Commit == _d.Bed.Commit, "gw-a's first desired state")).Desired!;
        var other = (await DesiredUntilAsync("gw-b", d => d.Commit == _d.Bed.Commit, "gw-b's desired state")).Desired!;
        Assert.Equal("default", first.ProfileName);

        await _d.AnnotatePodAsync(Ns, "gw-a", "stoker.io/profile", "edge");
        var changed = (await DesiredUntilAsync("gw-a", d => d.ProfileName == "edge", "gw-a on profile edge")).Desired!;
        Assert.True(changed.Version > first.Version);
        Assert.Equal("edge-projects", Assert.Single(changed.Profile!.Mappings).Destination);
        var resource = await _d.StatusUntilAsync(Ns, Cr, r => DiscoveryBed.GatewayField(r, "profile").SequenceEqual(["edge", ""]), "the profile in the status");
        Assert.Equal(["gw-a", "gw-b"], DiscoveryBed.GatewayField(resource, "name"));
        Assert.Equal(other.Version, (await _d.SnapshotAsync(Ns, Cr, "gw-b")).Desired!.Version);

        // The agent still carries the PROFILE it was injected with; the pod's annotation as it is now wins.
        var agent = new FakeAgent(_d.Silo.Client, Ns, Cr, "gw-a", profile: "default");
        var registered = await agent.RegisterAsync();
        Assert.Equal("edge", registered!.ProfileName);
        Assert.Equal(changed.Version, registered.Version);

        await _d.AnnotatePodAsync(Ns, "gw-a", "stoker.io/profile", null);
        await DesiredUntilAsync("gw-a", d => d.ProfileName == "default", "gw-a back on the default profile");
    }

    [Fact]
    public async Task A_ref_override_makes_that_gateway_follow_another_branch()
    {
        var repo = _d.Bed.Repo;
        repo.Branch("feature");
        repo.Checkout("feature");
        repo.WriteFile("projects/site/feature.json", "{}");
        var featureCommit = repo.Commit("feature work");
        repo.Checkout("main");

        await _d.CreateResourceAsync(Ns, Cr);
        _d.AddPod(Ns, "gw-a", Cr);
        _d.AddPod(Ns, "gw-b", Cr, Map(("stoker.io/ref-override", "feature")));
        var b = (await DesiredUntilAsync("gw-b", d => d.Commit == featureCommit, "gw-b on the feature branch")).Desired!;
        Assert.Equal("feature", b.Ref);
        Assert.Equal("feature", b.Template.Ref);
        Assert.Equal(_d.Bed.Commit, (await DesiredUntilAsync("gw-a", d => d.Commit.Length > 0, "gw-a's desired state")).Desired!.Commit);

        // Switched on a running pod: gw-a follows the branch too, then goes back to spec.git.ref when it is removed.
        await _d.AnnotatePodAsync(Ns, "gw-a", "stoker.io/ref-override", "feature");
        await DesiredUntilAsync("gw-a", d => d.Commit == featureCommit && d.Ref == "feature", "gw-a on the feature branch");
        await _d.AnnotatePodAsync(Ns, "gw-a", "stoker.io/ref-override", null);
        var back = (await DesiredUntilAsync("gw-a", d => d.Commit == _d.Bed.Commit, "gw-a back on main")).Desired!;
        Assert.Equal("main", back.Ref);

        // The resource's own status stays about spec.git.ref.
        var resource = await _d.StatusUntilAsync(Ns, Cr, r => DiscoveryBed.Gateways(r).Count == 2, "both gateways");
        Assert.Equal(_d.Bed.Commit, Mode.KubernetesModeBed.Text(resource["status"]!["lastSyncCommit"]));
    }

    [Fact]
    public async Task An_invalid_or_unknown_ref_override_gives_that_gateway_an_error_naming_the_annotation()
    {
        await _d.CreateResourceAsync(Ns, Cr);
        _d.AddPod(Ns, "gw-ok", Cr);
        _d.AddPod(Ns, "gw-bad", Cr, Map(("stoker.io/ref-override", "bad..ref")));
        _d.AddPod(Ns, "gw-unknown", Cr, Map(("stoker.io/ref-override", "no-such-branch")));

        var resource = await _d.StatusUntilAsync(Ns, Cr,
            r => DiscoveryBed.GatewayField(r, "syncStatus").SequenceEqual(["Error", "Pending", "Error"]), "two gateways in error");
        Assert.Equal(["gw-bad", "gw-ok", "gw-unknown"], DiscoveryBed.GatewayField(resource, "name"));
        Assert.Equal("True", DiscoveryBed.ConditionField(resource, "RefResolved", "status"));

        var bad = (await DesiredUntilAsync("gw-bad", d => d.ProfileError is not null, "gw-bad's error")).Desired!;
        Assert.Null(bad.Profile);
        Assert.StartsWith("annotation stoker.io/ref-override: \"bad..ref\" is not a valid git ref: ", bad.ProfileError, StringComparison.Ordinal);
        var unknown = (await DesiredUntilAsync("gw-unknown", d => d.ProfileError is not null, "gw-unknown's error")).Desired!;
        Assert.StartsWith("annotation stoker.io/ref-override: ref \"no-such-branch\" not found in remote ", unknown.ProfileError, StringComparison.Ordinal);
        Assert.Null((await DesiredUntilAsync("gw-ok", d => d.Commit == _d.Bed.Commit, "gw-ok's state")).Desired!.ProfileError);

        // Corrected on the pod: the error goes and the gateway gets its commit.
        await _d.AnnotatePodAsync(Ns, "gw-bad", "stoker.io/ref-override", "main");
        await DesiredUntilAsync("gw-bad", d => d.ProfileError is null && d.Commit == _d.Bed.Commit, "gw-bad corrected");
        await _d.StatusUntilAsync(Ns, Cr, r => DiscoveryBed.GatewayField(r, "syncStatus").SequenceEqual(["Pending", "Pending", "Error"]), "gw-bad no longer in error");
    }
}
