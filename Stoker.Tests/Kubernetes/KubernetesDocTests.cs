using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Stoker.Tests.Demo;

namespace Stoker.Tests.Kubernetes;

/// <summary>docs/kubernetes.md describes the manifests as they are: every file, and every setting given to the silo and the agent.</summary>
public sealed partial class KubernetesDocTests
{
    private readonly string _docs = File.ReadAllText(Checkout.Combine("docs", "kubernetes.md"));

    [Fact]
    public void Docs_DescribeEveryManifestFile_AndTheCommandsOfThisMode()
    {
        foreach (var file in ManifestSet.Kustomizations.SelectMany(KubectlKustomizeTests.Files).Concat(ManifestSet.ExampleFiles))
        {
            Assert.Contains($"`{file}`", _docs, StringComparison.Ordinal);
        }

        foreach (var command in new[] { "kubectl apply -k k8s/overlays/eval", "kubectl apply -k k8s/overlays/prod", "kubectl apply -f gatewaysync.yaml", "kubectl get gs -o wide", "kubectl describe gs", "cert-manager" })
        {
            Assert.Contains(command, _docs, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Docs_ListEverySettingTheSiloIsGiven()
    {
        var silo = ManifestSet.ControlPlane().Workload("StatefulSet", ManifestSet.SystemNamespace, "stoker-silo").Container("silo");
        foreach (var variable in ((JsonArray)silo["env"]!).Select(e => ManifestObject.Str(e!["name"])!))
        {
            Assert.Contains($"`{variable}`", _docs, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Docs_SayWhatEachRbacRuleIsFor()
    {
        var section = Section("## RBAC");
        foreach (var role in ManifestSet.ControlPlane().Objects.Where(o => o.Kind is "ClusterRole" or "Role"))
        {
            foreach (var rule in ((JsonArray)role.Node["rules"]!).Cast<JsonObject>())
            {
                foreach (var resource in ((JsonArray)rule["resources"]!).Select(r => ManifestObject.Str(r)!))
                {
                    var verbs = string.Join(", ", ((JsonArray)rule["verbs"]!).Select(v => ManifestObject.Str(v)));
                    Assert.True(section.Contains($"`{resource}`", StringComparison.Ordinal) && section.Contains(verbs, StringComparison.Ordinal),
                        $"docs/kubernetes.md, RBAC: no row for {role.Kind} {resource} with verbs \"{verbs}\"");
                }
            }
        }
    }

    [Fact]
    public void Docs_StatePlainlyWhatIsNotImplemented_AndEndWithThePlaceForTheOtherTopics()
    {
        var section = Section("## What is not there yet");
        foreach (var missing in new[] { "Helm chart" })
        {
            Assert.Contains(missing, section, StringComparison.Ordinal);
        }

        // Events, gateway discovery and agent identity are documented in sections of their own after "More".
        var more = Section("## More");
        foreach (var topic in new[] { "Events", "Gateway discovery", "Agent identity" })
        {
            Assert.Contains(topic, more, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Docs_SayHowSecretsAreRead_AndWhy()
    {
        var section = Section("### How the silo reads Secrets");
        foreach (var fact in new[] { "metadata only", "PartialObjectMetadata", "one GET", "1 MiB", "Helm", "410 Gone", "`Stoker:Kubernetes:Namespaces`" })
        {
            Assert.Contains(fact, section, StringComparison.Ordinal);
        }

        Assert.Contains(Silo.Kubernetes.Secrets.SecretMetadataWatch.MetadataOnlyList, section, StringComparison.Ordinal);
    }

    private string Section(string heading)
    {
        var start = _docs.IndexOf("\n" + heading + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"docs/kubernetes.md has no section {heading}");
        var end = _docs.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
        return end < 0 ? _docs[start..] : _docs[start..end];
    }

    [Fact]
    public void Docs_RelativeLinks_LeadToFilesAndHeadingsThatExist()
    {
        var problems = new List<string>();
        foreach (Match link in Link().Matches(_docs))
        {
            var target = link.Groups["target"].Value;
            if (target.Contains("://", StringComparison.Ordinal))
            {
                continue;
            }

            var (file, anchor) = target.Split('#', 2) is [var f, var a] ? (f, a) : (target, null);
            var path = file.Length == 0 ? Checkout.Combine("docs", "kubernetes.md") : Path.GetFullPath(Path.Join(Checkout.Combine("docs"), file));
            if (!File.Exists(path))
            {
                problems.Add($"{target}: {path} does not exist");
            }
            else if (anchor is not null && !File.ReadLines(path).Where(l => l.StartsWith('#')).Select(Anchor).Contains(anchor))
            {
                problems.Add($"{target}: no heading with the anchor #{anchor}");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>The anchor GitHub makes of a heading: lower case, punctuation other than '-' dropped, spaces as '-'.</summary>
    private static string Anchor(string heading) =>
        new string([.. heading.TrimStart('#').Trim().ToLowerInvariant().Where(c => char.IsLetterOrDigit(c) || c is '-' or ' ' or '_')]).Replace(' ', '-');

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex Link();
}
