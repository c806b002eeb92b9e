using Microsoft.Extensions.Configuration;
using Orleans.Hosting.Kubernetes;
using Stoker.Silo.Hosting;
using Stoker.Silo.Kubernetes;
using Stoker.Tests.Infrastructure;
using Stoker.Tests.Kubernetes.Mode;

namespace Stoker.Tests.Kubernetes.Hosting;

/// <summary>Orleans' Kubernetes hosting: used in Kubernetes mode inside a pod only, and what it does to the pod.</summary>
public sealed class OrleansKubernetesHostingTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private KubernetesModeBed _bed = null!;

    public async Task InitializeAsync() => _bed = await KubernetesModeBed.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    private static IConfiguration Config(params (string Key, string? Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, s.Value))).Build();

    [Theory]
    [InlineData("Kubernetes", "10.0.0.1", true, true)]
    [InlineData("Kubernetes", null, true, false)]
    [InlineData("Local", "10.0.0.1", true, false)]
    [InlineData(null, "10.0.0.1", true, true)]
    [InlineData(null, "10.0.0.1", false, false)]
    [InlineData(null, null, false, false)]
    public void Applies_InKubernetesModeInsideAPodOnly(string? mode, string? serviceHost, bool token, bool expected)
    {
        var applies = OrleansKubernetesHosting.Applies(Config((SiloModeResolver.ModeSetting, mode)),
            v => v == SiloModeResolver.ServiceHostVariable ? serviceHost : null, f => token && f == SiloModeResolver.ServiceAccountTokenPath);
        Assert.Equal(expected, applies);
    }

    [Fact]
    public void Options_UseTheKubeconfigWhenGiven_AndNeverDeletePods()
    {
        var withKubeconfig = new KubernetesHostingOptions { DeleteDefunctSiloPods = true };
        OrleansKubernetesHosting.Configure(withKubeconfig, Config(("Stoker:Kubernetes:KubeconfigPath", _bed.Kubeconfig)));
        Assert.False(withKubeconfig.DeleteDefunctSiloPods);
        Assert.Equal(_bed.Api.Url.ToString().TrimEnd('/'), withKubeconfig.GetClientConfiguration().Host.TrimEnd('/'));

        var inCluster = new KubernetesHostingOptions();
        OrleansKubernetesHosting.Configure(inCluster, Config());
        Assert.Equal(nameof(k8s.KubernetesClientConfiguration.InClusterConfig), inCluster.GetClientConfiguration.Method.Name);
    }

    [Fact]
    public void ClusterIdentity_FromTheEnvironment_MustMatchTheSilosSettings()
    {
        var silo = new StokerSiloOptions { ClusterId = "stoker", ServiceId = "stoker" };
        OrleansKubernetesHosting.CheckClusterIdentity(silo, _ => null);
        OrleansKubernetesHosting.CheckClusterIdentity(silo, _ => "stoker");
        var e = Assert.Throws<InvalidOperationException>(() => OrleansKubernetesHosting.CheckClusterIdentity(silo, v => v == "ORLEANS_CLUSTER_ID" ? "other" : null));
        Assert.Equal("ORLEANS_CLUSTER_ID: \"other\": must equal Stoker:Silo:ClusterId (\"stoker\")", e.Message);
    }

    [Fact]
    public async Task SiloInAPod_LabelsItsPod_AndListsTheClustersPods()
    {
        var clusterId = "hosting-" + Guid.NewGuid().ToString("N")[..8];
        await using var silo = await SiloProcess.StartAsync(SiloPod.Settings(_bed, "stoker-silo-0", clusterId));

        var pod = await Eventually.Until(() => Task.FromResult(SiloPod.Get(_bed.Api, "stoker-silo-0")),
            p => p?["metadata"]?["labels"]?["orleans/clusterId"]?.GetValue<string>() == clusterId, Timeout, $"the pod labelled by its silo\n{silo.Output}");
        Assert.Equal(clusterId, pod!["metadata"]!["labels"]!["orleans/serviceId"]!.GetValue<string>());
        Assert.Equal("stoker-silo", pod["metadata"]!["labels"]!["app.kubernetes.io/name"]!.GetValue<string>());

        // Its own pod read and patched; the cluster's pods listed by label, in its own namespace only. (Orleans opens
        // its watch on them only after a membership change, which a lone silo on in-memory clustering never sees.)
        await Eventually.Until(() => Task.FromResult(_bed.Api.Requests.Where(r => r.Resource == "pods").ToList()),
            l => l.Any(r => r.Verb == "list"), Timeout, $"a list of the cluster's pods\n{silo.Output}");
        // Pod discovery lists and watches gateway pods cluster-wide (no namespace); everything else is Orleans'.
        var discovery = _bed.Api.Requests.Where(r => r.Resource == "pods" && r.Namespace is null).ToList();
        Assert.All(discovery, r => Assert.Contains(r.Verb, new[] { "list", "watch" }));
        var pods = _bed.Api.Requests.Where(r => r.Resource == "pods" && r.Namespace is not null).ToList();
        Assert.All(pods, r => Assert.Equal(SiloPod.Namespace, r.Namespace));
        Assert.Contains(pods, r => r.Verb == "get" && r.Name == "stoker-silo-0");
        Assert.Contains(pods, r => r.Verb == "patch" && r.Name == "stoker-silo-0");
        Assert.Contains(pods, r => r.Verb == "list" && Uri.UnescapeDataString(r.Query).Contains($"orleans/clusterId={clusterId}", StringComparison.Ordinal));
        Assert.DoesNotContain(pods, r => r.Verb is "delete" or "create" or "update");
    }

    [Fact]
    public async Task SiloInAPod_WithADifferentOrleansClusterId_StopsNamingBoth()
    {
        var settings = SiloPod.Settings(_bed, "stoker-silo-1", "cluster-a", new Dictionary<string, string> { ["ORLEANS_CLUSTER_ID"] = "cluster-b" });
        await using var silo = SiloProcess.Start(settings);
        await Eventually.Until(() => Task.FromResult(silo.HasExited), e => e, Timeout, $"the silo stopping\n{silo.Output}");
        Assert.Contains("ORLEANS_CLUSTER_ID: \"cluster-b\": must equal Stoker:Silo:ClusterId (\"cluster-a\")", silo.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SiloInKubernetesModeOutsideAPod_TouchesPodsOnlyToDiscoverGateways()
    {
        var clusterId = "outside-" + Guid.NewGuid().ToString("N")[..8];
        var settings = SiloPod.Settings(_bed, "stoker-silo-2", clusterId);
        var environment = settings.Environment.Where(e => !e.Key.StartsWith("KUBERNETES_SERVICE_", StringComparison.Ordinal)).ToDictionary();
        await using var silo = await SiloProcess.StartAsync(settings with { Environment = environment });
        await _bed.CreateAsync("plant", "one");
        await Eventually.Until(() => _bed.GetAsync("plant", "one"), r => KubernetesModeBed.Condition(r, "Ready") is not null, Timeout, $"status written\n{silo.Output}");
        // Only pod discovery's cluster-wide list and watch: no read, label or list of its own pod's namespace.
        Assert.All(_bed.Api.Requests.Where(r => r.Resource == "pods"), r => Assert.True(r.Namespace is null && r.Verb is "list" or "watch", r.ToString()));
    }
}
