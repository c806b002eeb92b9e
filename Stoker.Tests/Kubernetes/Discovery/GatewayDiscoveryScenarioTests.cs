using System.Text.Json.Nodes;
using Stoker.Grains.Interfaces.Messages;
using Stoker.Tests.ControlPlane;
using Stoker.Tests.Infrastructure;
using Stoker.Tests.Kubernetes.Mode;

namespace Stoker.Tests.Kubernetes.Discovery;

/// <summary>
/// Gateway discovery and status aggregation (docs/kubernetes.md), against a real silo in Kubernetes mode,
/// KubernetesClient and the wire-level fake API server. Pods are put into the API server; what the silo made of them
/// is read from the custom resource's status, as <c>kubectl get gs -o yaml</c> shows it. Where the original read an
/// agent's status from a ConfigMap, the agent's report to its Gateway grain replaces it.
/// The original's automatic RBAC for agents has no counterpart: Stoker's agents get no Kubernetes RBAC at all.
/// </summary>
public sealed class GatewayDiscoveryScenarioTests(DiscoveryFixture fixture) : IClassFixture<DiscoveryFixture>
{
    private const string Cr = "site";
    private DiscoveryBed D => fixture.Bed;

    private static Dictionary<string, string> Map(params (string Key, string Value)[] entries) => entries.ToDictionary(e => e.Key, e => e.Value);

    private async Task<JsonObject> CreatedAsync(string ns)
    {
        await D.CreateResourceAsync(ns, Cr);
        return await D.StatusUntilAsync(ns, Cr, r => DiscoveryBed.ConditionField(r, "Ready", "status") is not null, "the first status");
    }

    [Fact]
    public async Task NoAnnotatedPods_GivesNoGatewaysDiscovered()
    {
        const string ns = "s59";
        D.AddPod(ns, "unrelated", crName: null);
        var resource = await CreatedAsync(ns);
        Assert.Equal("False", DiscoveryBed.ConditionField(resource, "AllGatewaysSynced", "status"));
        Assert.Equal("NoGatewaysDiscovered", DiscoveryBed.ConditionField(resource, "AllGatewaysSynced", "reason"));
        Assert.Equal("0/0 synced", DiscoveryBed.ConditionField(resource, "AllGatewaysSynced", "message"));
        Assert.Empty(DiscoveryBed.Gateways(resource));
    }

    [Fact]
    public async Task AnnotatedRunningPod_IsDiscovered_AndSyncIsInProgress()
    {
        const string ns = "s60";
        await CreatedAsync(ns);
        D.AddPod(ns, "gateway-apr", Cr);
        var resource = await D.StatusUntilAsync(ns, Cr, r => DiscoveryBed.Gateways(r).Count == 1, "the pod discovered");
        var gateway = DiscoveryBed.Gateways(resource)[0];
        Assert.Equal("gateway-apr", KubernetesModeBed.Text(gateway["podName"]));
        Assert.Equal(ns, KubernetesModeBed.Text(gateway["namespace"]));
        Assert.Equal("default", KubernetesModeBed.Text(gateway["serviceAccountName"]));
        Assert.Equal("Pending", KubernetesModeBed.Text(gateway["syncStatus"]));
        Assert.Equal("False", DiscoveryBed.ConditionField(resource, "AllGatewaysSynced", "status"));
        Assert.Equal("SyncInProgress", DiscoveryBed.ConditionField(resource, "AllGatewaysSynced", "reason"));
        Assert.Equal("0/1 synced", DiscoveryBed.ConditionField(resource, "AllGatewaysSynced", "message"));
    }

    [Fact]
    public async Task PodNotRunning_IsNotDiscovered()
    {
        const string ns = "s61";
        await CreatedAsync(ns);
        D.AddPod(ns, "gateway-pending", Cr, phase: "Pending");

        // Pod events are handled in order: once a pod added after it shows, the Pending one was passed over.
        D.AddPod(ns, "gateway-sentinel", Cr);
        var resource = await D.StatusUntilAsync(ns, Cr, r => DiscoveryBed.Gateways(r).Count > 0, "the sentinel pod discovered");
        Assert.Equal(["gateway-sentinel"], DiscoveryBed.GatewayField(resource, "podName"));

        await D.DeletePodAsync(ns, "gateway-sentinel");
        resource = await D.StatusUntilAsync(ns, Cr, r => DiscoveryBed.Gateways(r).Count == 0, "the sentinel forgotten");
        Assert.Equal("NoGatewaysDiscovered", DiscoveryBed.ConditionField(resource, "AllGatewaysSynced", "reason"));
        Assert.Equal("0/0 synced", DiscoveryBed.ConditionField(resource, "AllGatewaysSynced", "message"));
    }

    [Fact]
    public async Task GatewayNameAnnotation_WinsOverTheLabel()
    {
        const string ns = "s62";
        await CreatedAsync(ns);
        D.AddPod(ns, "gateway-gna", Cr, Map(("stoker.io/gateway-name", "custom-gw")), Map(("app.kubernetes.io/name", "label-gw")));
        var resource = await D.StatusUntilAsync(ns, Cr, r => DiscoveryBed.Gateways(r).Count == 1, "the pod discovered");
        Assert.Equal(["custom-gw"], DiscoveryBed.GatewayField(resource, "name"));
        Assert.Equal(["gateway-gna"], DiscoveryBed.GatewayField(resource, "podName"));
    }

    [Fact]
    public async Task NameLabel_NamesTheGateway_WithoutTheAnnotation()
    {
        const string ns = "s63";
        await CreatedAsync(ns);
        D.AddPod(ns, "gateway-gnl", Cr, labels: Map(("app.kubernetes.io/name", "label-gw")));
        var resource = await D.StatusUntilAsync(ns, Cr, r => DiscoveryBed.Gateways(r).Count == 1, "the pod discovered");
        Assert.Equal(["label-gw"], DiscoveryBed.GatewayField(resource, "name"));
        Assert.Equal(["gateway-gnl"], DiscoveryBed.GatewayField(resource, "podName"));
    }

    [Fact]
    public async Task PodName_NamesTheGateway_WithoutAnnotationOrLabel()
    {
        const string ns = "s64";
        await CreatedAsync(ns);
        D.AddPod(ns, "gateway-gnp", Cr, labels: Map(("app", "ignition")));
        var resource = await D.StatusUntilAsync(ns, Cr, r => DiscoveryBed.Gateways(r).Count == 1, "the pod discovered");
        Assert.Equal(["gateway-gnp"], DiscoveryBed.GatewayField(resource, "name"));
        Assert.Equal(["gateway-gnp"], DiscoveryBed.GatewayField(resource, "podName"));
    }

    [Fact]
    public async Task InjectAnnotationWithoutTheAgentInitContainer_IsMissingSidecar()
    {
        const string ns = "s65";
        await CreatedAsync(ns);

        // An init container of another name does not count, nor would a regular container named stoker-agent.
        D.AddPod(ns, "gateway-ms", Cr, initContainers: ["setup"]);
        var resource = await D.StatusUntilAsync(ns, Cr, r => DiscoveryBed.Gateways(r).Count == 1, "the pod discovered");
        Assert.Equal(["Pending"], DiscoveryBed.GatewayField(resource, "syncStatus"));
        Assert.Equal("True", DiscoveryBed.ConditionField(resource, "SidecarInjected", "status"));

        await D.AnnotatePodAsync(ns, "gateway-ms", "stoker.io/inject", "true");
        resource = await D.StatusUntilAsync(ns, Cr, r => DiscoveryBed.GatewayField(r, "syncStatus").SequenceEqual(["MissingSidecar"]), "MissingSidecar");
        Assert.Equal("False", DiscoveryBed.ConditionField(resource, "SidecarInjected", "status"));
        Assert.Equal("SidecarMissing", DiscoveryBed.ConditionField(resource, "SidecarInjected", "reason"));
        Assert.Equal("1 gateway(s) missing stoker-agent sidecar", DiscoveryBed.ConditionField(resource, "SidecarInjected", "message"));
        Assert.Equal("False", DiscoveryBed.ConditionField(resource, "AllGatewaysSynced", "status"));
        Assert.Equal("0/1 synced (1 missing sidecar)", DiscoveryBed.ConditionField(resource, "AllGatewaysSynced", "message"));

        // A pod admitted with the agent (the injected init container) is not missing it.
        D.AddPod(ns, "gateway-ok", Cr, Map(("stoker.io/inject", "true")), initContainers: ["stoker-agent"]);
        resource = await D.StatusUntilAsync(ns, Cr, r => DiscoveryBed.Gateways(r).Count == 2, "the injected pod discovered");
        Assert.Equal(["MissingSidecar", "Pending"], DiscoveryBed.GatewayField(resource, "syncStatus"));
        Assert.Equal("0/2 synced (1 missing sidecar)", DiscoveryBed.ConditionField(resource, "AllGatewaysSynced", "message"));
    }

    [Fact]
    public async Task ThreeRunningPods_AreAllDiscovered()
    {
        const string ns = "s66";
        await CreatedAsync(ns);
        foreach (var name in new[] { "gateway-c", "gateway-a", "gateway-b" })
        {
            D.AddPod(ns, name, Cr);
        }

        var resource = await D.StatusUntilAsync(ns, Cr, r => DiscoveryBed.Gateways(r).Count == 3, "three pods discovered");
        Assert.Equal(["gateway-a", "gateway-b", "gateway-c"], DiscoveryBed.GatewayField(resource, "podName"));
        Assert.Equal("SyncInProgress", DiscoveryBed.ConditionField(resource, "AllGatewaysSynced", "reason"));
        Assert.Equal("0/3 synced", DiscoveryBed.ConditionField(resource, "AllGatewaysSynced", "message"));
    }

    [Fact]
    public async Task PodsOfAnotherResource_AreNotDiscovered()
    {
        const string ns = "s67";
        await CreatedAsync(ns);
        await D.CreateResourceAsync(ns, "other");
        D.AddPod(ns, "gateway-other", "other");
        D.AddPod(ns, "gateway-alpha", Cr);
        D.AddPod(ns, "gateway-beta", Cr);
        var resource = await D.StatusUntilAsync(ns, Cr, r => DiscoveryBed.Gateways(r).Count == 2, "both pods discovered");
        Assert.Equal(["gateway-alpha", "gateway-beta"], DiscoveryBed.GatewayField(resource, "podName"));
        var other = await D.StatusUntilAsync(ns, "other", r => DiscoveryBed.Gateways(r).Count == 1, "the other resource's pod");
        Assert.Equal(["gateway-other"], DiscoveryBed.GatewayField(other, "podName"));
    }

    [Fact]
    public async Task AgentsReport_FillsTheDiscoveredGateway()
    {
        const string ns = "s68";
        await CreatedAsync(ns);
        D.AddPod(ns, "gateway-0", Cr, Map(("stoker.io/gateway-name", "my-gateway")));
        await D.StatusUntilAsync(ns, Cr, r => DiscoveryBed.Gateways(r).Count == 1, "the pod discovered");

        var agent = new FakeAgent(D.Silo.Client, ns, Cr, "my-gateway");
        var desired = await Eventually.Until(agent.RegisterAsync, d => d is not null, DiscoveryBed.Timeout, "the desired state");
        await agent.ReportAsync(new SyncReport
        {
            DesiredVersion = desired!.Version,
            SyncStatus = SyncStatus.Synced,
            SyncedCommit = "def456",
            SyncedRef = "main",
            LastSyncTime = DateTimeOffset.Parse("2026-01-15T10:30:00Z", System.Globalization.CultureInfo.InvariantCulture),
            LastSyncDuration = TimeSpan.FromSeconds(2.5),
            AgentVersion = "1.2.3",
            FilesChanged = 3,
            ProjectsSynced = ["MyProject"],
        });

        var resource = await D.StatusUntilAsync(ns, Cr, r => DiscoveryBed.GatewayField(r, "syncStatus").SequenceEqual(["Synced"]), "the report in the status");
        var gateway = DiscoveryBed.Gateways(resource)[0];
        Assert.Equal("my-gateway", KubernetesModeBed.Text(gateway["name"]));
        Assert.Equal("gateway-0", KubernetesModeBed.Text(gateway["podName"]));
        Assert.Equal("def456", KubernetesModeBed.Text(gateway["syncedCommit"]));
        Assert.Equal("main", KubernetesModeBed.Text(gateway["syncedRef"]));
        Assert.Equal("2026-01-15T10:30:00Z", KubernetesModeBed.Text(gateway["lastSyncTime"]));
        Assert.Equal("2.5s", KubernetesModeBed.Text(gateway["lastSyncDuration"]));
        Assert.Equal("1.2.3", KubernetesModeBed.Text(gateway["agentVersion"]));
        Assert.Equal(3, gateway["filesChanged"]!.GetValue<int>());
        Assert.Equal(["MyProject"], (gateway["projectsSynced"] as JsonArray)!.Select(p => p!.GetValue<string>()));
    }

    [Fact]
    public async Task WithoutGatewayName_TheReportIsFoundUnderThePodName()
    {
        const string ns = "s69";
        await CreatedAsync(ns);
        D.AddPod(ns, "gateway-plain", Cr);
        await D.StatusUntilAsync(ns, Cr, r => DiscoveryBed.Gateways(r).Count == 1, "the pod discovered");

        // The injected agent's GATEWAY_NAME is the pod name here (metadata.name through the downward API).
        var agent = new FakeAgent(D.Silo.Client, ns, Cr, "gateway-plain");
        var desired = await Eventually.Until(agent.RegisterAsync, d => d is not null, DiscoveryBed.Timeout, "the desired state");
        await agent.ReportSyncedAsync(desired!);
        var resource = await D.StatusUntilAsync(ns, Cr, r => DiscoveryBed.GatewayField(r, "syncStatus").SequenceEqual(["Synced"]), "the report in the status");
        Assert.Equal(["gateway-plain"], DiscoveryBed.GatewayField(resource, "name"));
        Assert.Equal([D.Bed.Commit], DiscoveryBed.GatewayField(resource, "syncedCommit"));
    }

    [Fact]
    public async Task OneGatewaySynced_MakesAllGatewaysSyncedAndReadyTrue()
    {
        const string ns = "s70";
        await CreatedAsync(ns);
        D.AddPod(ns, "gateway-one", Cr);
        await D.StatusUntilAsync(ns, Cr, r => DiscoveryBed.Gateways(r).Count == 1, "the pod discovered");
        var agent = new FakeAgent(D.Silo.Client, ns, Cr, "gateway-one");
        await agent.ReportSyncedAsync((await Eventually.Until(agent.RegisterAsync, d => d is not null, DiscoveryBed.Timeout, "the desired state"))!);

        var resource = await D.StatusUntilAsync(ns, Cr, r => DiscoveryBed.ConditionField(r, "AllGatewaysSynced", "status") == "True", "all synced");
        Assert.Equal("SyncSucceeded", DiscoveryBed.ConditionField(resource, "AllGatewaysSynced", "reason"));
        Assert.Equal("1/1 synced", DiscoveryBed.ConditionField(resource, "AllGatewaysSynced", "message"));
        Assert.Equal("True", DiscoveryBed.ConditionField(resource, "Ready", "status"));
        Assert.Equal("All gateways synced", DiscoveryBed.ConditionField(resource, "Ready", "message"));
        Assert.Equal("True", DiscoveryBed.ConditionField(resource, "SidecarInjected", "status"));
    }

    [Fact]
    public async Task OneOfTwoSynced_IsNotReady()
    {
        const string ns = "s71";
        await CreatedAsync(ns);
        D.AddPod(ns, "gateway-one", Cr);
        D.AddPod(ns, "gateway-two", Cr);
        await D.StatusUntilAsync(ns, Cr, r => DiscoveryBed.Gateways(r).Count == 2, "both pods discovered");
        var agent = new FakeAgent(D.Silo.Client, ns, Cr, "gateway-one");
        await agent.ReportSyncedAsync((await Eventually.Until(agent.RegisterAsync, d => d is not null, DiscoveryBed.Timeout, "the desired state"))!);

        var resource = await D.StatusUntilAsync(ns, Cr, r => DiscoveryBed.ConditionField(r, "AllGatewaysSynced", "message") == "1/2 synced", "one of two synced");
        Assert.Equal("False", DiscoveryBed.ConditionField(resource, "AllGatewaysSynced", "status"));
        Assert.Equal("SyncInProgress", DiscoveryBed.ConditionField(resource, "AllGatewaysSynced", "reason"));
        Assert.Equal("False", DiscoveryBed.ConditionField(resource, "Ready", "status"));
        Assert.Equal("Waiting for gateways to sync", DiscoveryBed.ConditionField(resource, "Ready", "message"));
    }

    [Fact]
    public async Task ZeroGateways_Wait_ThenAFailingRef_ReadySaysRefNotResolved_EvenAsAPodIsDiscovered()
    {
        const string ns = "s72";
        var resource = await CreatedAsync(ns);
        Assert.Equal("False", DiscoveryBed.ConditionField(resource, "Ready", "status"));
        Assert.Equal("Reconciling", DiscoveryBed.ConditionField(resource, "Ready", "reason"));
        Assert.Equal("Waiting for gateways to sync", DiscoveryBed.ConditionField(resource, "Ready", "message"));

        // The ref stops resolving: Ready follows RefResolved at once (docs/resource-reference.md, "Ready"), and a pod
        // discovered meanwhile re-aggregates the gateways without hiding the failing ref.
        await D.Bed.PatchAsync(ns, Cr, """{"spec":{"git":{"ref":"no-such-branch"}}}""");
        resource = await D.StatusUntilAsync(ns, Cr, r => DiscoveryBed.ConditionField(r, "RefResolved", "status") == "False", "the ref failure");
        Assert.Equal("Ref not resolved", DiscoveryBed.ConditionField(resource, "Ready", "message"));
        D.AddPod(ns, "gateway-late", Cr);
        resource = await D.StatusUntilAsync(ns, Cr, r => DiscoveryBed.Gateways(r).Count == 1, "the pod discovered");
        Assert.Equal("0/1 synced", DiscoveryBed.ConditionField(resource, "AllGatewaysSynced", "message"));
        Assert.Equal("False", DiscoveryBed.ConditionField(resource, "Ready", "status"));
        Assert.Equal("Ref not resolved", DiscoveryBed.ConditionField(resource, "Ready", "message"));
    }
}
