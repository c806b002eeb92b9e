using Stoker.Grains.GatewaySyncs;
using Stoker.Grains.Interfaces.Messages;
using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Tests.ControlPlane;

/// <summary>The reconcile's decisions as plain functions of (status, inputs, now), on fixed times.</summary>
public sealed class ReconcileStepsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset T1 = T0.AddMinutes(5);
    private const string Commit = "0123456789abcdef0123456789abcdef01234567";

    [Theory]
    [InlineData(1, "30s")]
    [InlineData(2, "1m0s")]
    [InlineData(3, "2m0s")]
    [InlineData(4, "4m0s")]
    [InlineData(5, "5m0s")]
    [InlineData(50, "5m0s")]
    public void Failed_RefFailure_RefResolvedFalseWithTheRetryDelay(int failures, string retry)
    {
        var (status, delay) = ReconcileSteps.Failed(new GatewaySyncStatus(), failures, "boom", isRefFailure: true, ConditionReasons.RefResolutionFailed, 3, T0);

        Assert.Equal(retry, Stoker.Grains.Interfaces.Serialization.GoDuration.Format(delay));
        Assert.Equal(RefResolutionStatus.Error, status.RefResolutionStatus);
        var condition = Assert.Single(status.Conditions!);
        Assert.Equal((ConditionTypes.RefResolved, ConditionStatus.False, ConditionReasons.RefResolutionFailed, $"Ref resolution failed (retry in {retry}): boom", 3L, T0),
            (condition.Type, condition.Status, condition.Reason, condition.Message, condition.ObservedGeneration!.Value, condition.LastTransitionTime));
    }

    [Fact]
    public void Failed_OtherOperation_ReadyFalseAndRefConditionUntouched()
    {
        var (resolved, _) = ReconcileSteps.Resolved(new GatewaySyncStatus(), "main", Commit, 1, T0);

        var (status, delay) = ReconcileSteps.Failed(resolved, 2, "token secret \"git\" not found in namespace \"ns\"", isRefFailure: false, ConditionReasons.RefResolutionFailed, 1, T1);

        Assert.Equal(TimeSpan.FromMinutes(1), delay);
        Assert.Equal(RefResolutionStatus.Resolved, status.RefResolutionStatus);
        Assert.Equal(ConditionStatus.True, status.Conditions!.Single(c => c.Type == ConditionTypes.RefResolved).Status);
        var ready = status.Conditions!.Single(c => c.Type == ConditionTypes.Ready);
        Assert.Equal((ConditionStatus.False, ConditionReasons.Reconciling, "token secret \"git\" not found in namespace \"ns\" (retry in 1m0s)"), (ready.Status, ready.Reason, ready.Message));
    }

    [Fact]
    public void Resolved_NewCommitMovesLastSync_SameCommitKeepsItsTime()
    {
        var (first, isNew) = ReconcileSteps.Resolved(new GatewaySyncStatus(), "main", Commit, 1, T0);
        Assert.True(isNew);
        Assert.Equal((Commit, "0123456", "main", T0), (first.LastSyncCommit, first.LastSyncCommitShort, first.LastSyncRef, first.LastSyncTime!.Value));

        var (again, isNewAgain) = ReconcileSteps.Resolved(first, "main", Commit, 2, T1);
        Assert.False(isNewAgain);
        Assert.Equal(T0, again.LastSyncTime);
        var condition = again.Conditions!.Single(c => c.Type == ConditionTypes.RefResolved);
        Assert.Equal((Commit, 2L, T0), (condition.Message, condition.ObservedGeneration!.Value, condition.LastTransitionTime));
    }

    [Fact]
    public void Resolved_AfterAFailure_ConditionTransitionsAtTheNewTime()
    {
        var (failed, _) = ReconcileSteps.Failed(new GatewaySyncStatus(), 1, "boom", isRefFailure: true, ConditionReasons.RefResolutionFailed, 1, T0);

        var (resolved, _) = ReconcileSteps.Resolved(failed, "main", Commit, 1, T1);

        var condition = resolved.Conditions!.Single(c => c.Type == ConditionTypes.RefResolved);
        Assert.Equal((ConditionStatus.True, ConditionReasons.RefResolved, T1), (condition.Status, condition.Reason, condition.LastTransitionTime));
    }

    public static TheoryData<string, bool?, string?> HostKeyCases => new()
    {
        { "no ssh", null, null },
        { "ssh with known hosts", true, ConditionReasons.HostKeyVerificationEnabled },
        { "ssh without known hosts", false, ConditionReasons.HostKeyVerificationDisabled },
    };

    [Theory]
    [MemberData(nameof(HostKeyCases))]
    public void HostKeyCondition_OnlyForSsh_SaysWhetherHostsAreVerified(string what, bool? knownHosts, string? reason)
    {
        var auth = knownHosts is null ? null : new GitAuthSpec
        {
            SshKey = new SshKeyAuth
            {
                SecretRef = new SecretKeyRef { Name = "ssh", Key = "id" },
                KnownHosts = knownHosts == true ? new KnownHostsRef { SecretRef = new SecretKeyRef { Name = "hosts", Key = "k" } } : null,
            },
        };

        var status = ReconcileSteps.HostKeyCondition(new GatewaySyncStatus(), auth, 1, T0);

        Assert.True(reason == status.Conditions?.SingleOrDefault(c => c.Type == ConditionTypes.SSHHostKeyVerification)?.Reason, what);
    }

    [Fact]
    public void ValidateProfiles_InvalidDestination_ProfilesValidFalseWithEveryViolation()
    {
        var resource = ResourceBuilder.Create("bad", "/repo", "main", profiles: """
              default:
                mappings:
                  - source: projects
                    destination: projects
        """);
        var invalid = resource with
        {
            Spec = resource.Spec with
            {
                Sync = resource.Spec.Sync with
                {
                    Profiles = new Dictionary<string, SyncProfile>
                    {
                        ["default"] = resource.Spec.Sync.Profiles["default"] with { Mappings = [new Mapping { Source = "projects", Destination = "../etc" }] },
                    },
                },
            },
        };

        var (valid, none) = ReconcileSteps.ValidateProfiles(new GatewaySyncStatus(), resource, T0);
        var (status, error) = ReconcileSteps.ValidateProfiles(valid, invalid, T1);

        Assert.Null(none);
        Assert.Contains("../etc", error, StringComparison.Ordinal);
        var condition = status.Conditions!.Single(c => c.Type == ConditionTypes.ProfilesValid);
        Assert.Equal((ConditionStatus.False, ConditionReasons.ProfilesInvalid, error!, T1), (condition.Status, condition.Reason, condition.Message, condition.LastTransitionTime));
    }

    [Theory]
    [InlineData("v1.2.0", "1.2.0", true)]
    [InlineData("refs/tags/v1.2.0", "v1.2.0", true)]
    [InlineData("refs/heads/main", "main", true)]
    [InlineData("v1.3.0", "v1.2.0", false)]
    [InlineData(null, "main", false)]
    public void RequestCaughtUp_WhenSpecRefNamesTheRequestedRef(string? requested, string specRef, bool caughtUp)
    {
        var resource = ResourceBuilder.Create("r", "/repo", specRef);
        var request = requested is null ? null : new RefRequest { Ref = requested };

        Assert.Equal(caughtUp, ReconcileSteps.RequestCaughtUp(request, resource));
        Assert.Equal(requested ?? specRef, ReconcileSteps.EffectiveRef(request, resource));
    }

    [Fact]
    public void OverrideResolutions_ListedGetTheirCommit_MissingGetAnErrorWithoutCredentials()
    {
        var resolutions = ReconcileSteps.OverrideResolutions(["feature", "gone"], new Dictionary<string, string?> { ["feature"] = Commit, ["gone"] = null },
            "https://user:secret@git.example.com/site.git");

        Assert.Equal(Commit, resolutions["feature"].Commit);
        Assert.Null(resolutions["gone"].Commit);
        Assert.StartsWith("annotation stoker.io/ref-override: ref \"gone\" not found in remote ", resolutions["gone"].Error, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", resolutions["gone"].Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, "GitHub App token exchange failed", ConditionReasons.GitHubAppExchangeFailed)]
    [InlineData(true, "ls-remote failed", ConditionReasons.RefResolutionFailed)]
    [InlineData(false, "GitHub App token exchange failed", ConditionReasons.RefResolutionFailed)]
    public void RefFailureReason_GitHubAppFailuresHaveTheirOwn(bool githubApp, string message, string reason)
    {
        var auth = githubApp ? new GitAuthSpec { GithubApp = new GitHubAppAuth { AppId = 1, InstallationId = 2, PrivateKeySecretRef = new SecretKeyRef { Name = "app", Key = "pem" } } } : null;

        Assert.Equal(reason, ReconcileSteps.RefFailureReason(auth, message));
    }
}
