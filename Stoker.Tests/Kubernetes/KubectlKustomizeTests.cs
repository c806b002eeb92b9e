using System.Text.Json.Nodes;

namespace Stoker.Tests.Kubernetes;

/// <summary>
/// <c>kubectl kustomize</c> (offline: it needs no cluster) builds the base and each overlay into exactly the objects of
/// the files they list, so <c>kubectl apply -k k8s/overlays/…</c> sends what the other tests check. Other kubectl
/// commands are not run: even a client-side dry run asks an API server, and there is none here.
/// </summary>
public sealed class KubectlKustomizeTests
{
    [Theory]
    [InlineData(ManifestSet.Base)]
    [InlineData(ManifestSet.EvalOverlay)]
    [InlineData(ManifestSet.ProdOverlay)]
    [InlineData("crd")]
    public void Kustomize_BuildsExactlyTheObjectsOfTheListedFiles(string folder)
    {
        var built = ManifestSet.Parse("kubectl kustomize k8s/" + folder, Kubectl.Kustomize(folder));
        var expected = ManifestSet.Load(Files(folder));
        Assert.Equal(expected.Objects.Select(o => o.Id).Order(StringComparer.Ordinal), built.Objects.Select(o => o.Id).Order(StringComparer.Ordinal));

        // kustomize changes nothing of substance (no name suffixes, no namespace rewrites, no labels added).
        foreach (var o in expected.Objects)
        {
            var twin = built.Objects.Single(b => b.Id == o.Id);
            Assert.True(JsonNode.DeepEquals(o.Node, twin.Node), $"kustomize changed {o.Where}: {twin.Node.ToJsonString()}");
        }
    }

    [Fact]
    public void Overlays_AddOnlyTheDatabase_ToTheSameBase()
    {
        var baseIds = ManifestSet.Build(ManifestSet.Base).Objects.Select(o => o.Id).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(baseIds.Order(StringComparer.Ordinal), ManifestSet.Build(ManifestSet.ProdOverlay).Objects.Select(o => o.Id).Order(StringComparer.Ordinal));
        var evalOnly = ManifestSet.Build(ManifestSet.EvalOverlay).Objects.Where(o => !baseIds.Contains(o.Id)).Select(o => o.Id).Order(StringComparer.Ordinal);
        Assert.Equal(["Secret stoker-system/stoker-postgres", "Secret stoker-system/stoker-silo", "Service stoker-system/stoker-postgres", "StatefulSet stoker-system/stoker-postgres"], evalOnly);

        // Production brings no Secret: the one the silo reads is the user's (docs/kubernetes.md), with the keys the silo uses.
        Assert.Empty(ManifestSet.Build(ManifestSet.ProdOverlay).OfKind("Secret"));
        var prod = File.ReadAllText(Path.Join(ManifestSet.K8sRoot, ManifestSet.ProdOverlay, "kustomization.yaml"));
        foreach (var key in ManifestSet.Build(ManifestSet.EvalOverlay).Data("Secret", ManifestSet.SystemNamespace, "stoker-silo")!.Keys)
        {
            Assert.Contains($"--from-literal={key}=", prod, StringComparison.Ordinal);
        }
    }

    /// <summary>The manifest files a kustomization folder brings in, following folders it lists, relative to <c>k8s/</c>.</summary>
    internal static IEnumerable<string> Files(string folder) =>
        ManifestSet.KustomizationResources(folder).SelectMany(resource =>
        {
            var relative = Path.GetRelativePath(ManifestSet.K8sRoot, Path.GetFullPath(Path.Join(ManifestSet.K8sRoot, folder, resource))).Replace('\\', '/');
            return Directory.Exists(Path.Join(ManifestSet.K8sRoot, relative)) ? Files(relative) : [relative];
        });
}
