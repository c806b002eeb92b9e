using Stoker.Grains.Interfaces.Resources;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.ControlPlane;

/// <summary>Ref resolution (docs/resource-reference.md), through the GatewaySync grain against real repositories.</summary>
public sealed class RefResolutionGrainTests : IClassFixture<ControlPlaneFixture>, IDisposable
{
    private readonly ControlPlaneFixture _fixture;
    private readonly GitRepository _repo;
    private readonly string _first;
    private readonly string _second;

    public RefResolutionGrainTests(ControlPlaneFixture fixture)
    {
        _fixture = fixture;
        _repo = CreateRepo(out _first, out _second);
    }

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task BranchRef_ResolvesToBranchHead()
    {
        var status = await ApplyAsync("b13", "main");

        Assert.Equal(_second, status.LastSyncCommit);
        Assert.Equal(_second[..7], status.LastSyncCommitShort);
        Assert.Equal("main", status.LastSyncRef);
        Assert.Equal(RefResolutionStatus.Resolved, status.RefResolutionStatus);
        Assert.NotNull(status.LastSyncTime);
        Assert.Equal(1, status.ProfileCount);
        AssertCondition(status, ConditionTypes.RefResolved, ConditionStatus.True, ConditionReasons.RefResolved, _second);
    }

    [Fact]
    public async Task LightweightTag_ResolvesWithTagAsLastSyncRef()
    {
        var status = await ApplyAsync("b14", "v1.0.0");

        Assert.Equal(_first, status.LastSyncCommit);
        Assert.Equal("v1.0.0", status.LastSyncRef);
        AssertCondition(status, ConditionTypes.RefResolved, ConditionStatus.True, ConditionReasons.RefResolved, _first);
    }

    [Fact]
    public async Task AnnotatedTag_ResolvesToPeeledCommitNotTagObject()
    {
        var status = await ApplyAsync("b16", "v2.0.0");

        Assert.Equal(_second, status.LastSyncCommit);
        Assert.NotEqual(_repo.RevParse("refs/tags/v2.0.0"), status.LastSyncCommit);
    }

    [Fact]
    public async Task FullSha_IsAcceptedAsIs()
    {
        var status = await ApplyAsync("b19", _first);

        Assert.Equal(_first, status.LastSyncCommit);
        Assert.Equal(_first, status.LastSyncRef);
    }

    [Fact]
    public async Task UnknownRef_SetsRefResolvedFalseWithActionableMessage()
    {
        var status = await ApplyAsync("b15", "nonexistent-branch");

        Assert.Equal(RefResolutionStatus.Error, status.RefResolutionStatus);
        var condition = AssertCondition(status, ConditionTypes.RefResolved, ConditionStatus.False, ConditionReasons.RefResolutionFailed, null);
        Assert.StartsWith("Ref resolution failed (retry in 30s): ", condition.Message, StringComparison.Ordinal);
        Assert.Contains("ref \"nonexistent-branch\" not found in remote", condition.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidProfiles_ProfilesValidFalseAndReadyProfilesInvalid()
    {
        var valid = ResourceBuilder.Create("invalid", _repo.Path, "main");
        var mapping = new Mapping { Source = "../../../etc/passwd", Destination = "/etc" };
        var resource = valid with
        {
            Spec = valid.Spec with { Sync = valid.Spec.Sync with { Profiles = new Dictionary<string, SyncProfile> { ["default"] = new() { Mappings = [mapping] } } } },
        };
        var status = (await _fixture.Host.GatewaySync("ns", "invalid").ApplyAndReconcile(resource)).Status!;

        var profilesValid = AssertCondition(status, ConditionTypes.ProfilesValid, ConditionStatus.False, ConditionReasons.ProfilesInvalid, null);
        Assert.Contains("traversal", profilesValid.Message, StringComparison.Ordinal);
        Assert.Contains("absolute", profilesValid.Message, StringComparison.Ordinal);
        AssertCondition(status, ConditionTypes.Ready, ConditionStatus.False, ConditionReasons.Reconciling, "Profiles invalid");
    }

    internal static Condition AssertCondition(GatewaySyncStatus status, string type, string expectedStatus, string reason, string? message)
    {
        var condition = Assert.Single(status.Conditions!, c => c.Type == type);
        Assert.Equal(expectedStatus, condition.Status);
        Assert.Equal(reason, condition.Reason);
        if (message is not null)
        {
            Assert.Equal(message, condition.Message);
        }

        return condition;
    }

    private async Task<GatewaySyncStatus> ApplyAsync(string name, string @ref) =>
        (await _fixture.Host.GatewaySync("ns", name).ApplyAndReconcile(ResourceBuilder.Create(name, _repo.Path, @ref))).Status!;

    private static GitRepository CreateRepo(out string first, out string second)
    {
        var repo = GitRepository.Create();
        repo.WriteFile("projects/A/project.json", "{\"v\":1}");
        first = repo.Commit("first");
        repo.Tag("v1.0.0");
        repo.WriteFile("projects/A/project.json", "{\"v\":2}");
        second = repo.Commit("second");
        repo.Tag("v2.0.0", annotatedMessage: "release 2");
        return repo;
    }
}
