using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Stoker.Tests.Demo;

namespace Stoker.Tests.Kubernetes;

/// <summary>docs/kubernetes.md describes the manifests as they are: every file, and every setting given to the silo and the agent.</summary>
public sealed partial class KubernetesDocTests
{
    private readonly string _docs = File.ReadAllText(Checkout.Combine("docs", "kubernetes.md"));

    [Fact]
    public void Docs_DescribeEveryManifestFile()
    {
        foreach (var file in ManifestSet.KustomizationResources().Append(ManifestSet.ExampleFile))
        {
            Assert.Contains($"`{file}`", _docs, StringComparison.Ordinal);
        }

        Assert.Contains("kubectl apply -k k8s/", _docs, StringComparison.Ordinal);
    }

    [Fact]
    public void Docs_ListEverySettingTheSiloAndTheAgentAreGiven()
    {
        var all = ManifestSet.Everything();
        var containers = new[]
        {
            all.Workload("StatefulSet", ManifestSet.SystemNamespace, "stoker-silo").Container("silo"),
            all.Workload("StatefulSet", "ignition", "ignition").Container("stoker-agent"),
        };
        foreach (var container in containers)
        {
            foreach (var variable in ((JsonArray)container["env"]!).Select(e => ManifestObject.Str(e!["name"])!))
            {
                Assert.Contains($"`{variable}`", _docs, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Docs_StatePlainlyWhatIsNotImplemented()
    {
        var section = _docs[_docs.IndexOf("## What is not there yet", StringComparison.Ordinal)..];
        foreach (var missing in new[] { "Watching GatewaySync objects", "Status on the custom resource", "Admission webhooks", "Per-agent credentials and TLS", "Pod discovery" })
        {
            Assert.Contains(missing, section, StringComparison.Ordinal);
        }
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
