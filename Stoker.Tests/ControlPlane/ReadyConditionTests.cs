using Stoker.Grains.Interfaces.Grains;
using Stoker.Grains.Interfaces.Messages;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.ControlPlane;

/// <summary>
/// <c>Ready</c> follows every condition it depends on (docs/resource-reference.md, "Ready"): one test per path to
/// False, each reached from a resource that was Ready=True where the path allows it, and each held while the roster
/// changes underneath.
/// </summary>
public sealed class ReadyConditionTests : IClassFixture<ControlPlaneFixture>, IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly ControlPlaneFixture _fixture;
    private readonly GitRepository _repo = GitRepository.Create();

    public ReadyConditionTests(ControlPlaneFixture fixture)
    {
        _fixture = fixture;
        _repo.WriteFile("projects/A/p.json", "1");
        _repo.Commit("one");
        _repo.Tag("v1.0.0");
    }

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task RefNotResolved_AfterAReleaseWebhookForAMissingTag_ReadyFalse_AndAReportKeepsItFalse()
    {
        var (grain, agent) = await ReadyWithOneGatewayAsync(_fixture.Host, "ready-ref");

        // What a release webhook for a tag that does not exist asks.
        await grain.RequestRef(new RefRequest { Ref = "v9.9.9", Source = "github", RequestedAt = TimeProvider.System.GetUtcNow() });
        var failing = await Eventually.Until(grain.Get, r => Condition(r, ConditionTypes.RefResolved).Status == ConditionStatus.False, Deadline, "RefResolved=False");
        AssertReady(failing, ConditionStatus.False, ConditionReasons.Reconciling, "Ref not resolved");

        // A roster change (a second gateway) recomputes Ready from the conditions: still not resolved.
        var after = await AddGatewayAsync(_fixture.Host, grain, "ready-ref");
        AssertReady(after, ConditionStatus.False, ConditionReasons.Reconciling, "Ref not resolved");
        GC.KeepAlive(agent);
    }

    [Fact]
    public async Task ProfilesInvalid_FromReady_ReadyFalseProfilesInvalid_FirstInOrder()
    {
        var (grain, _) = await ReadyWithOneGatewayAsync(_fixture.Host, "ready-profiles");
        var valid = ResourceBuilder.Create("ready-profiles", _repo.Path, "main", "  polling:\n    interval: 5m");
        var invalid = valid with
        {
            Spec = valid.Spec with
            {
                // A ref that does not exist too: ProfilesValid comes first in Ready's order.
                Git = valid.Spec.Git with { Ref = "no-such-branch" },
                Sync = valid.Spec.Sync with { Profiles = new Dictionary<string, SyncProfile> { ["default"] = new() { Mappings = [new Mapping { Source = "../../etc", Destination = "projects" }] } } },
            },
        };

        var status = await grain.ApplyAndReconcile(invalid);

        Assert.Equal(ConditionStatus.False, Condition(status, ConditionTypes.ProfilesValid).Status);
        Assert.Equal(ConditionStatus.False, Condition(status, ConditionTypes.RefResolved).Status);
        AssertReady(status, ConditionStatus.False, ConditionReasons.Reconciling, "Profiles invalid");
    }

    [Fact]
    public async Task GatewaysNotSynced_NoneOrOnePending_ReadyFalseWaiting_ThenTrueWhenSynced()
    {
        var grain = _fixture.Host.GatewaySync("ns", "ready-wait");
        var none = await grain.ApplyAndReconcile(ResourceBuilder.Create("ready-wait", _repo.Path, "main"));
        AssertReady(none, ConditionStatus.False, ConditionReasons.Reconciling, "Waiting for gateways to sync");

        var agent = new FakeAgent(_fixture.Host.AgentClient, "ns", "ready-wait", "gw-1");
        var desired = await agent.RegisterAsync();
        var pending = await Eventually.Until(grain.Get, r => r!.Status!.DiscoveredGateways?.Count == 1, Deadline, "the gateway in the roster");
        AssertReady(pending, ConditionStatus.False, ConditionReasons.Reconciling, "Waiting for gateways to sync");

        await agent.ReportSyncedAsync(desired!);
        await Eventually.Until(grain.Get, r => Condition(r, ConditionTypes.Ready).Status == ConditionStatus.True, Deadline, "Ready=True once synced");
    }

    [Fact]
    public async Task Paused_ReadyFalsePaused()
    {
        var (grain, _) = await ReadyWithOneGatewayAsync(_fixture.Host, "ready-paused");
        var paused = ResourceBuilder.Create("ready-paused", _repo.Path, "main", "  paused: true");

        await grain.Apply(paused);
        var status = await Eventually.Until(grain.Get, r => Condition(r, ConditionTypes.Ready).Reason == ConditionReasons.Paused, Deadline, "Ready=False/Paused");
        AssertReady(status, ConditionStatus.False, ConditionReasons.Paused, "Reconciliation paused");
    }

    [Fact]
    public async Task MissingSecret_ReadyFalseWithTheErrorAndRetry_AndAReportDoesNotTurnItTrue()
    {
        using var secrets = new TempDirectory("ready-secrets");
        Directory.CreateDirectory(Path.Join(secrets.Path, "ns", "ignition-api-key"));
        File.WriteAllText(Path.Join(secrets.Path, "ns", "ignition-api-key", "apiKey"), "k");
        await using var host = await ControlPlaneHost.StartAsync(configure: o => o.SecretsPath = secrets.Path);
        var (grain, agent) = await ReadyWithOneGatewayAsync(host, "ready-secret");

        // The API key's Secret goes away: the next pass (a new generation) fails on it, with the retry in Ready's message.
        Directory.Delete(Path.Join(secrets.Path, "ns", "ignition-api-key"), recursive: true);
        await grain.Apply(ResourceBuilder.Create("ready-secret", _repo.Path, "main", "  polling:\n    interval: 4m"));
        var failing = await Eventually.Until(grain.Get, r => Condition(r, ConditionTypes.Ready).Status == ConditionStatus.False, Deadline, "Ready=False on the missing Secret");
        var ready = Condition(failing, ConditionTypes.Ready);
        Assert.Contains("ignition-api-key", ready.Message, StringComparison.Ordinal);
        Assert.Contains("(retry in ", ready.Message, StringComparison.Ordinal);

        var after = await AddGatewayAsync(host, grain, "ready-secret");
        Assert.Equal(ready.Message, Condition(after, ConditionTypes.Ready).Message);
        GC.KeepAlive(agent);
    }

    /// <summary>Registers a second gateway and returns the resource once the roster (status) shows it.</summary>
    private static async Task<GatewaySync> AddGatewayAsync(ControlPlaneHost host, IGatewaySyncGrain grain, string name)
    {
        await new FakeAgent(host.AgentClient, "ns", name, "gw-2").RegisterAsync();
        return (await Eventually.Until(grain.Get, r => r!.Status!.DiscoveredGateways?.Count == 2, Deadline, "the second gateway in the status"))!;
    }

    /// <summary>A resource on <c>main</c> with one gateway that reported synced: Ready=True.</summary>
    private async Task<(IGatewaySyncGrain Grain, FakeAgent Agent)> ReadyWithOneGatewayAsync(ControlPlaneHost host, string name)
    {
        var grain = host.GatewaySync("ns", name);
        await grain.ApplyAndReconcile(ResourceBuilder.Create(name, _repo.Path, "main", "  polling:\n    interval: 5m"));
        var agent = new FakeAgent(host.AgentClient, "ns", name, "gw-1");
        var desired = await agent.RegisterAsync();
        await agent.ReportSyncedAsync(desired!);
        await Eventually.Until(grain.Get, r => Condition(r, ConditionTypes.Ready).Status == ConditionStatus.True, Deadline, name + " Ready=True");
        return (grain, agent);
    }

    private static Condition Condition(GatewaySync? resource, string type) =>
        resource?.Status?.Conditions?.FirstOrDefault(c => c.Type == type) ?? new Condition { Type = type, Status = ConditionStatus.Unknown };

    private static void AssertReady(GatewaySync? resource, string status, string reason, string message)
    {
        var ready = Condition(resource, ConditionTypes.Ready);
        Assert.True((status, reason, message) == (ready.Status, ready.Reason, ready.Message),
            $"Ready expected {status}/{reason}/\"{message}\", was {ready.Status}/{ready.Reason}/\"{ready.Message}\"; conditions: "
            + string.Join("; ", resource?.Status?.Conditions?.Select(c => $"{c.Type}={c.Status}/{c.Reason}/{c.Message}") ?? []));
    }
}
