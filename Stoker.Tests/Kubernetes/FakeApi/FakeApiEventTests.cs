using k8s;
using k8s.Models;

namespace Stoker.Tests.Kubernetes.FakeApi;

/// <summary>Core v1 Events: create, patch (the way a recorder aggregates repeats) and list.</summary>
public sealed class FakeApiEventTests
{
    [Fact]
    public async Task Events_can_be_created_patched_with_a_count_and_listed_by_field()
    {
        await using var fake = await FakeApiHarness.StartAsync();
        var core = fake.Client.CoreV1;
        var first = DateTime.SpecifyKind(new DateTime(2026, 12, 6, 12, 0, 0), DateTimeKind.Utc);
        var created = await core.CreateNamespacedEventAsync(
            new Corev1Event
            {
                Metadata = new V1ObjectMeta { Name = "site.17f0", NamespaceProperty = "plant" },
                InvolvedObject = new V1ObjectReference { ApiVersion = "stoker.io/v1alpha1", Kind = "GatewaySync", Name = "site", NamespaceProperty = "plant" },
                Reason = "SyncCompleted",
                Message = "synced",
                Type = "Normal",
                Count = 1,
                FirstTimestamp = first,
                LastTimestamp = first,
                Source = new V1EventSource { Component = "gatewaysync-controller" },
            },
            "plant");
        Assert.Equal("site.17f0", created.Metadata.Name);

        var repeat = """{"count":2,"lastTimestamp":"2026-12-06T12:01:00Z"}""";
        var patched = await core.PatchNamespacedEventAsync(new V1Patch(repeat, V1Patch.PatchType.MergePatch), "site.17f0", "plant");
        Assert.Equal(2, patched.Count);
        Assert.Equal("SyncCompleted", patched.Reason);

        await core.CreateNamespacedEventAsync(new Corev1Event { Metadata = new V1ObjectMeta { Name = "other.1" }, InvolvedObject = new V1ObjectReference { Kind = "Pod", Name = "x" }, Reason = "R" }, "plant");
        var all = await core.ListNamespacedEventAsync("plant");
        Assert.Equal(2, all.Items.Count);
        var one = await core.ListNamespacedEventAsync("plant", fieldSelector: "metadata.name=site.17f0");
        Assert.Equal(2, Assert.Single(one.Items).Count);
        Assert.Equal("gatewaysync-controller", one.Items[0].Source.Component);
    }
}
