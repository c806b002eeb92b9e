using Stoker.Grains.GatewaySyncs;
using Stoker.Grains.Gateways;
using Stoker.Grains.Interfaces.Messages;
using Stoker.Grains.Interfaces.Profiles;
using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Tests.ControlPlane;

/// <summary>A gateway's desired state as a function of the release and its inputs; what counts as a content change.</summary>
public sealed class DesiredStateBuilderTests
{
    private const string Commit = "0123456789abcdef0123456789abcdef01234567";
    private const string Other = "89abcdef0123456789abcdef0123456789abcdef";

    private static readonly GatewaySync Resource = ResourceBuilder.Create("site", "/repo", "main", profiles: Profiles("b-projects"));

    private static string Profiles(string bDestination) => $"""
              default:
                mappings:
                  - source: projects
                    destination: projects
              b:
                mappings:
                  - source: projects
                    destination: {bDestination}
        """;

    private static Release Release(GatewaySync? resource = null, string commit = Commit, Dictionary<string, RefOverrideResolution>? overrides = null) =>
        ReleaseFactory.Create(resource ?? Resource, "main", commit, overrides ?? [], "epoch").Release with { Version = 1 };

    private static string Key(Release release, GatewayInputs inputs) => DesiredStateBuilder.Build(release, inputs, "gw")!.Value.ContentKey;

    [Fact]
    public void AnotherProfileChanged_ContentUnchanged_OwnProfileChanged_ContentChanged()
    {
        var changed = Release(ResourceBuilder.Create("site", "/repo", "main", profiles: Profiles("b-elsewhere")));
        var onDefault = new GatewayInputs();
        var onB = new GatewayInputs { RegisteredProfile = "b" };

        Assert.Equal(Key(Release(), onDefault), Key(changed, onDefault));
        Assert.NotEqual(Key(Release(), onB), Key(changed, onB));
    }

    public static TheoryData<string, GatewayInputs, bool> InputChanges => new()
    {
        { "pod name (the agent's own)", new GatewayInputs { RegisteredPodName = "gw-7" }, false },
        { "namespace the agent reported", new GatewayInputs { RegisteredNamespace = "elsewhere" }, false },
        { "profile", new GatewayInputs { RegisteredProfile = "b" }, true },
        { "labels", new GatewayInputs { RegisteredLabels = new Dictionary<string, string> { ["site"] = "north" } }, true },
    };

    [Theory]
    [MemberData(nameof(InputChanges))]
    public void InputChanged_ContentChangesOnlyForWhatTheAgentWouldWriteDifferently(string what, GatewayInputs inputs, bool changes)
    {
        Assert.True(changes == (Key(Release(), new GatewayInputs()) != Key(Release(), inputs)), what);
    }

    [Fact]
    public void NewCommit_ContentChanged_TemplateCarriesTheResourcesPartOnly()
    {
        var built = DesiredStateBuilder.Build(Release(commit: Other), new GatewayInputs { RegisteredPodName = "gw-3" }, "gw")!.Value;

        Assert.NotEqual(Key(Release(), new GatewayInputs()), built.ContentKey);
        Assert.Equal((Other, "main", "ns", "site", "gw", "", 0), (built.State.Template.Commit, built.State.Template.Ref, built.State.Template.Namespace,
            built.State.Template.CRName, built.State.Template.GatewayName, built.State.Template.PodName, built.State.Template.PodOrdinal));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("b", null)]
    [InlineData("missing", null)]
    [InlineData(null, "b")]
    [InlineData("missing", "b")]
    public void Profile_DiscoveredPodWins_SelectionAndErrorAsProfileResolver(string? registered, string? discovered)
    {
        var inputs = new GatewayInputs
        {
            RegisteredProfile = registered,
            Pod = discovered is null ? null : new ExpectedGateway { Name = "gw", Profile = discovered },
        };

        var state = DesiredStateBuilder.Build(Release(), inputs, "gw")!.Value.State;

        var expected = ProfileResolver.Select(Resource.Spec.Sync, discovered ?? registered);
        Assert.Equal((expected.Name, expected.Error), (state.ProfileName, state.ProfileError));
        Assert.Equal(expected.Profile is null ? "" : CanonicalProfileJson.Write(expected.Profile), state.CanonicalProfile);
    }

    [Fact]
    public void RefOverride_UnresolvedNoState_ResolvedItsCommit_MissingAnError()
    {
        var pod = new GatewayInputs { Pod = new ExpectedGateway { Name = "gw", RefOverride = "feature" } };

        Assert.Null(DesiredStateBuilder.Build(Release(), pod, "gw"));
        var followed = DesiredStateBuilder.Build(Release(overrides: new() { ["feature"] = new RefOverrideResolution { Commit = Other } }), pod, "gw")!.Value;
        Assert.Equal(("feature", Other, null), (followed.State.Ref, followed.State.Commit, followed.OverrideError));
        var missing = DesiredStateBuilder.Build(Release(overrides: new() { ["feature"] = new RefOverrideResolution { Error = "not found" } }), pod, "gw")!.Value;
        Assert.Equal(("not found", "not found", null), (missing.OverrideError, missing.State.ProfileError, missing.State.Profile));
        var invalid = DesiredStateBuilder.Build(Release(), new GatewayInputs { Pod = new ExpectedGateway { Name = "gw", RefOverride = "bad..ref" } }, "gw")!.Value;
        Assert.Contains("is not a valid git ref", invalid.OverrideError, StringComparison.Ordinal);
    }

    private static readonly Dictionary<string, RefOverrideResolution> NoOverrides = [];

    [Fact]
    public void ReleaseDigest_SameSpecAndCommit_Equal_ChangedCommitOrPause_Differs()
    {
        var digest = ReleaseFactory.Create(Resource, "main", Commit, NoOverrides, "e").Digest;
        var regenerated = Resource with { Metadata = Resource.Metadata with { Generation = 9 } };

        Assert.Equal(digest, ReleaseFactory.Create(regenerated, "main", Commit, NoOverrides, "e").Digest);
        Assert.NotEqual(digest, ReleaseFactory.Create(Resource, "main", Other, NoOverrides, "e").Digest);
        Assert.NotEqual(digest, ReleaseFactory.Create(Resource with { Spec = Resource.Spec with { Paused = true } }, "main", Commit, NoOverrides, "e").Digest);
    }

    [Theory]
    [InlineData(1, 0, 0, 1L << 20)]
    [InlineData(1, 3, 0, (1L << 20) + 3)]
    [InlineData(2, 0, (1L << 20) + 4, 2L << 20)]
    [InlineData(2, 0, (2L << 20) + 7, (2L << 20) + 7)]
    public void DesiredVersions_ReleaseHighBitsRevisionLowBits_NeverBelowTheFloor(long release, long revision, long floor, long expected)
    {
        Assert.Equal(expected, DesiredVersions.Next(release, revision, floor));
    }
}
