using Stoker.Demo.Processes;
using Stoker.Tests.Demo;

namespace Stoker.Tests.Kubernetes;

/// <summary>
/// <c>kubectl kustomize k8s/</c> (offline: it needs no cluster) builds exactly the objects of the files the
/// kustomization lists, so <c>kubectl apply -k k8s/</c> sends what the other tests check. kubectl is on this kind of
/// machine (Debian's kubernetes-client package provides it elsewhere). Other kubectl commands are not run: even a
/// client-side dry run asks an API server, and there is none here.
/// </summary>
public sealed class KubectlKustomizeTests
{
    [Fact]
    public async Task KubectlKustomize_BuildsEveryObjectOfTheListedFiles()
    {
        var kubectl = FindKubectl();
        Assert.True(kubectl is not null, "kubectl is not on PATH: install Debian's kubernetes-client package (apt-get install kubernetes-client)");
        var result = await Command.RunAsync(kubectl, ["kustomize", "k8s"], TimeSpan.FromMinutes(1), Checkout.Root);
        Assert.True(result.Succeeded, $"kubectl kustomize k8s exited with {result.ExitCode}: {result.Output}");

        var built = ManifestSet.Parse("kubectl kustomize k8s", result.Output);
        var expected = ManifestSet.ControlPlane();
        Assert.Equal(expected.Objects.Select(o => o.Id).Order(StringComparer.Ordinal), built.Objects.Select(o => o.Id).Order(StringComparer.Ordinal));

        // kustomize changes nothing of substance (no name suffixes, no namespace rewrites): the silo's env is as written.
        var silo = built.Workload("StatefulSet", ManifestSet.SystemNamespace, "stoker-silo").Container("silo");
        Assert.True(
            System.Text.Json.Nodes.JsonNode.DeepEquals(expected.Workload("StatefulSet", ManifestSet.SystemNamespace, "stoker-silo").Container("silo"), silo),
            "kustomize changed the silo container: " + silo.ToJsonString());
    }

    private static string? FindKubectl() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Join(dir, "kubectl"))
            .FirstOrDefault(File.Exists);
}
