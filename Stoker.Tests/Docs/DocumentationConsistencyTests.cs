using System.Reflection;
using System.Text.RegularExpressions;
using Prometheus;
using Stoker.AgentClient.Runtime;
using Stoker.Grains.Metrics;
using Stoker.Silo.Webhooks;
using Stoker.Tests.Demo;

namespace Stoker.Tests.Docs;

/// <summary>
/// What the standalone-agent and troubleshooting pages name exists in the code: the agent's settings (all of them,
/// and no others), metric names, and every relative link and anchor in them and in the README.
/// </summary>
public sealed partial class DocumentationConsistencyTests
{
    private static readonly string[] Pages = ["README.md", "docs/resource-reference.md", "docs/standalone-agent.md", "docs/troubleshooting.md", "docs/security.md"];

    [Fact]
    public void StandaloneAgentSettingsTable_ListsExactlyTheAgentsSettings()
    {
        var page = MarkdownFile.Load(Checkout.Combine("docs", "standalone-agent.md"));

        var documented = page.Rows.Where(r => r.Section == "Settings").Select(r => r.Cell("Variable").Trim('`')).Order(StringComparer.Ordinal);

        Assert.Equal(AgentOptions.Settings.Select(s => s.Variable).Order(StringComparer.Ordinal), documented);
    }

    [Fact]
    public void StandaloneAgentPage_ListsEveryAgentMetric()
    {
        var text = File.ReadAllText(Checkout.Combine("docs", "standalone-agent.md"));

        var missing = AgentMetricNames().Where(name => !text.Contains($"`{name}`", StringComparison.Ordinal)).ToList();

        Assert.Empty(missing);
    }

    [Theory]
    [InlineData("docs/standalone-agent.md")]
    [InlineData("docs/troubleshooting.md")]
    [InlineData("docs/monitoring.md")]
    public void EveryMetricNamed_IsOneTheCodeRegisters(string page)
    {
        var known = AgentMetricNames().Concat(StaticCollectorNames(typeof(ControllerMetrics)))
            .Append(WebhookReceiverMetrics.RequestsTotalName).Append(Stoker.Silo.Admission.AdmissionMetrics.InjectionsTotalName).ToHashSet(StringComparer.Ordinal);

        var unknown = MetricName().Matches(File.ReadAllText(Checkout.Combine(page))).Select(m => m.Groups["name"].Value).Distinct().Where(n => !known.Contains(n)).ToList();

        Assert.Empty(unknown);
    }

    [Theory]
    [MemberData(nameof(PageNames))]
    public void EveryRelativeLink_LeadsToAFileAndAnchorThatExist(string page)
    {
        var file = MarkdownFile.Load(Checkout.Combine(page));
        var folder = Path.GetDirectoryName(file.Path)!;
        var problems = new List<string>();
        foreach (var link in file.Links.Where(l => !l.Target.Contains("://", StringComparison.Ordinal) && !l.Target.StartsWith("mailto:", StringComparison.Ordinal)))
        {
            var (target, anchor) = link.Target.Split('#', 2) is [var t, var a] ? (t, a) : (link.Target, null);
            var path = target.Length == 0 ? file.Path : Path.GetFullPath(Path.Join(folder, target));
            if (!File.Exists(path) && !Directory.Exists(path))
            {
                problems.Add($"line {link.Line}: {link.Target}: {path} does not exist");
            }
            else if (anchor is not null && path.EndsWith(".md", StringComparison.Ordinal) && !MarkdownFile.Load(path).Anchors.Contains(anchor))
            {
                problems.Add($"line {link.Line}: {link.Target}: no heading with the anchor #{anchor}");
            }
        }

        Assert.True(problems.Count == 0, $"{page}:\n{string.Join('\n', problems)}");
    }

    [Fact]
    public void Readme_LinksTheInstallationReferenceAgentAndTroubleshootingPages()
    {
        var links = MarkdownFile.Load(Checkout.Combine("README.md")).Links.Select(l => l.Target).ToHashSet(StringComparer.Ordinal);

        Assert.Superset(new HashSet<string> { "docs/kubernetes.md", "docs/resource-reference.md", "docs/standalone-agent.md", "docs/troubleshooting.md" }, links);
    }

    public static TheoryData<string> PageNames() => [.. Pages];

    private static IEnumerable<string> AgentMetricNames()
    {
        var metrics = new AgentMetrics();
        return typeof(AgentMetrics).GetProperties().Where(p => typeof(Collector).IsAssignableFrom(p.PropertyType)).Select(p => ((Collector)p.GetValue(metrics)!).Name);
    }

    private static IEnumerable<string> StaticCollectorNames(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => typeof(Collector).IsAssignableFrom(f.FieldType)).Select(f => ((Collector)f.GetValue(null)!).Name);

    [GeneratedRegex(@"\b(?<name>stoker_(?:agent|controller|webhook)_[a-z_]+)\b", RegexOptions.CultureInvariant)]
    private static partial Regex MetricName();
}
