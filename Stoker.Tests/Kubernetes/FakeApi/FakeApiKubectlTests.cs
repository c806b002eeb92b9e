using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Stoker.Demo.Processes;
using Stoker.Tests.Infrastructure;
using static Stoker.Tests.Kubernetes.FakeApi.FakeApiHarness;

namespace Stoker.Tests.Kubernetes.FakeApi;

/// <summary>
/// kubectl against the fake: discovery, server-side printing with the CRD's printer columns, apply, describe.
/// kubectl apply works unflagged: the fake's OpenAPI v3 stubs tell kubectl the server validates fields itself.
/// </summary>
public sealed class FakeApiKubectlTests
{
    [Fact]
    public async Task Kubectl_get_wide_shows_the_printer_columns_of_the_applied_crd_and_describe_shows_events()
    {
        var kubectl = FindKubectl();
        Assert.True(kubectl is not null, "kubectl is not on PATH: install Debian's kubernetes-client package (apt-get install kubernetes-client)");
        await using var fake = await StartAsync();
        using var cache = new TempDirectory("kubectl-cache");
        Task<CommandResult> Kubectl(params string[] args) =>
            Command.RunAsync(kubectl, ["--kubeconfig", fake.KubeconfigPath, "--cache-dir", cache.Path, .. args], TimeSpan.FromMinutes(1));

        var crdFile = Path.Join(AppContext.BaseDirectory, "Crd", "gatewaysyncs.stoker.io.yaml");
        var applyCrd = await Kubectl("apply", "-f", crdFile);
        Assert.True(applyCrd.Succeeded, applyCrd.Output);

        using var manifests = new TempDirectory("gs");
        var gsFile = Path.Join(manifests.Path, "site.yaml");
        await File.WriteAllTextAsync(gsFile, """
            apiVersion: stoker.io/v1alpha1
            kind: GatewaySync
            metadata:
              name: site
              namespace: plant
            spec:
              git:
                repo: https://example.invalid/site.git
                ref: main
            """);
        var apply = await Kubectl("apply", "-f", gsFile);
        Assert.True(apply.Succeeded, apply.Output);
        Assert.Contains("gatewaysync.stoker.io/site created", apply.Output, StringComparison.Ordinal);

        var status = new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["lastSyncRef"] = "main",
                ["lastSyncCommitShort"] = "abc1234",
                ["profileCount"] = 2,
                ["lastSyncTime"] = "2026-12-06T12:00:00Z",
                ["conditions"] = new JsonArray(
                    new JsonObject { ["type"] = "Ready", ["status"] = "True", ["reason"] = "SyncSucceeded", ["message"] = "all gateways synced" },
                    new JsonObject { ["type"] = "AllGatewaysSynced", ["status"] = "True", ["reason"] = "SyncSucceeded", ["message"] = "2/2 gateways synced" }),
            },
        };
        await fake.Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(new V1Patch(status.ToJsonString(), V1Patch.PatchType.MergePatch), CrGroup, CrVersion, "plant", CrPlural, "site", fieldManager: "stoker");
        var site = Json(await fake.Client.CustomObjects.GetNamespacedCustomObjectAsync(CrGroup, CrVersion, "plant", CrPlural, "site"));
        await fake.Client.CoreV1.CreateNamespacedEventAsync(
            new Corev1Event
            {
                Metadata = new V1ObjectMeta { Name = "site.1" },
                InvolvedObject = new V1ObjectReference { ApiVersion = "stoker.io/v1alpha1", Kind = "GatewaySync", Name = "site", NamespaceProperty = "plant", Uid = site["metadata"]!["uid"]!.GetValue<string>() },
                Reason = "SyncCompleted",
                Message = "synced 2 gateways",
                Type = "Normal",
                Count = 3,
                Source = new V1EventSource { Component = "gatewaysync-controller" },
            },
            "plant");

        var wide = await Kubectl("get", "gs", "-A", "-o", "wide");
        Assert.True(wide.Succeeded, wide.Output);
        var lines = wide.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAMESPACE", "NAME", "REF", "GATEWAYS", "READY", "STATUS", "AGE", "COMMIT", "PROFILES", "LAST", "SYNC"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        foreach (var expected in new[] { "plant", "site", "main", "2/2 gateways synced", "True", "all gateways synced", "abc1234" })
        {
            Assert.Contains(expected, lines[1], StringComparison.Ordinal);
        }

        var narrow = await Kubectl("get", "gatewaysync", "site", "-n", "plant");
        Assert.True(narrow.Succeeded, narrow.Output);
        Assert.DoesNotContain("COMMIT", narrow.Output, StringComparison.Ordinal);

        var describe = await Kubectl("describe", "gs", "site", "-n", "plant");
        Assert.True(describe.Succeeded, describe.Output);
        Assert.Contains("SyncCompleted", describe.Output, StringComparison.Ordinal);
        Assert.Contains("gatewaysync-controller", describe.Output, StringComparison.Ordinal);

        var unchanged = await Kubectl("apply", "-f", gsFile);
        Assert.Contains("unchanged", unchanged.Output, StringComparison.Ordinal);
        Assert.Equal(1, GenerationOf(Json(await fake.Client.CustomObjects.GetNamespacedCustomObjectAsync(CrGroup, CrVersion, "plant", CrPlural, "site"))));

        await File.WriteAllTextAsync(gsFile, (await File.ReadAllTextAsync(gsFile)).Replace("ref: main", "ref: v2", StringComparison.Ordinal));
        var configured = await Kubectl("apply", "-f", gsFile);
        Assert.Contains("gatewaysync.stoker.io/site configured", configured.Output, StringComparison.Ordinal);
        var changed = Json(await fake.Client.CustomObjects.GetNamespacedCustomObjectAsync(CrGroup, CrVersion, "plant", CrPlural, "site"));
        Assert.Equal(2, GenerationOf(changed));
        Assert.Equal("main", changed["status"]!["lastSyncRef"]!.GetValue<string>());

        var delete = await Kubectl("delete", "-f", gsFile);
        Assert.True(delete.Succeeded, delete.Output);
        Assert.Null(fake.Server.GetGatewaySync("plant", "site"));
    }

    private static string? FindKubectl() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Join(dir, "kubectl"))
            .FirstOrDefault(File.Exists);
}
