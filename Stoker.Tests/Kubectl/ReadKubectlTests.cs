using System.Text.Json.Nodes;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Kubectl;

/// <summary>
/// The kubectl read side against a real silo in local mode, with both kubectl binaries (Debian's 1.20 and the
/// machine's): discovery, printer columns, wide output, all namespaces, YAML and JSON, selectors and explain.
/// </summary>
public sealed class ReadKubectlTests(ReadKubectlFixture fixture) : IClassFixture<ReadKubectlFixture>
{
    public static TheoryData<string> Binaries()
    {
        var data = new TheoryData<string>();
        foreach (var binary in KubectlClient.Binaries())
        {
            data.Add(binary);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Binaries))]
    public async Task ApiResources_ListsGatewaySyncsWithShortName_AndCoreSecretsAndEvents(string binary)
    {
        using var kubectl = fixture.Kubectl(binary);
        var lines = Lines((await kubectl.RunAsync("api-resources")).Ok());
        Assert.Matches(@"^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND$", lines[0]);
        Assert.Contains(lines, l => Columns(l) is ["gatewaysyncs", "gs", "stoker.io/v1alpha1", "true", "GatewaySync"]);
        Assert.Contains(lines, l => Columns(l) is ["secrets", "v1", "true", "Secret"]);
        Assert.Contains(lines, l => Columns(l) is ["events", "ev", "v1", "true", "Event"]);
    }

    [Theory]
    [MemberData(nameof(Binaries))]
    public async Task GetGs_PrintsThePrinterColumns_OfTheContextNamespace(string binary)
    {
        using var kubectl = fixture.Kubectl(binary);
        var lines = Lines((await kubectl.RunAsync("get", "gs")).Ok());
        Assert.Matches(@"^NAME\s+REF\s+GATEWAYS\s+READY\s+STATUS\s+AGE$", lines[0]);
        Assert.Equal(["one", "two"], lines.Skip(1).Select(l => Columns(l)[0]));
        foreach (var row in lines.Skip(1))
        {
            // REF from status.lastSyncRef; GATEWAYS, READY, STATUS through the [?(@.type==...)] filters; AGE an age.
            Assert.Matches(@"^\w+\s+main\s+0/0 synced\s+(True|False|Unknown)\s+\S.*\s+\d+[smhdy]\S*$", row);
        }
    }

    [Theory]
    [MemberData(nameof(Binaries))]
    public async Task GetGsWide_AddsCommitProfilesAndLastSync(string binary)
    {
        using var kubectl = fixture.Kubectl(binary);
        var lines = Lines((await kubectl.RunAsync("get", "gs", "-o", "wide")).Ok());
        Assert.Matches(@"^NAME\s+REF\s+GATEWAYS\s+READY\s+STATUS\s+AGE\s+COMMIT\s+PROFILES\s+LAST SYNC$", lines[0]);
        var one = Columns(lines.Single(l => l.StartsWith("one ", StringComparison.Ordinal)));
        Assert.Matches("^[0-9a-f]{7}$", one[^3]);
        Assert.Equal("1", one[^2]);
        Assert.Matches(@"^\d+[smhdy]", one[^1]);
    }

    [Theory]
    [MemberData(nameof(Binaries))]
    public async Task GetGsAllNamespaces_AddsTheNamespaceColumn(string binary)
    {
        using var kubectl = fixture.Kubectl(binary);
        var lines = Lines((await kubectl.RunAsync("get", "gs", "-A")).Ok());
        Assert.Matches(@"^NAMESPACE\s+NAME\s+REF\s+GATEWAYS\s+READY\s+STATUS\s+AGE$", lines[0]);
        var keys = lines.Skip(1).Select(l => Columns(l)).Select(c => $"{c[0]}/{c[1]}").ToList();
        Assert.Equal(["alpha/one", "alpha/two", "beta/three"], keys.Where(k => k.StartsWith("alpha/", StringComparison.Ordinal) || k.StartsWith("beta/", StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(Binaries))]
    public async Task GetOne_AsYamlAndJson_IsTheStoredResource(string binary)
    {
        using var kubectl = fixture.Kubectl(binary);
        var json = JsonNode.Parse((await kubectl.RunAsync("get", "gs", "one", "-o", "json")).Ok())!;
        Assert.Equal("GatewaySync", (string?)json["kind"]);
        Assert.Equal("one", (string?)json["metadata"]!["name"]);
        Assert.Equal("prod", (string?)json["metadata"]!["labels"]!["env"]);
        Assert.Matches("^[0-9]+$", (string?)json["metadata"]!["resourceVersion"]);
        Assert.Equal("main", (string?)json["status"]!["lastSyncRef"]);

        var yaml = (await kubectl.RunAsync("get", "gatewaysync", "one", "-o", "yaml")).Ok();
        Assert.Contains("kind: GatewaySync", yaml, StringComparison.Ordinal);
        Assert.Contains("  name: one", yaml, StringComparison.Ordinal);
        Assert.Contains("lastSyncRef: main", yaml, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Binaries))]
    public async Task GetWithSelectors_FiltersByLabelsAndFields(string binary)
    {
        using var kubectl = fixture.Kubectl(binary);
        async Task<string> Names(params string[] args)
        {
            var output = (await kubectl.RunAsync(["get", "gs", "-A", "-o", "name", .. args])).Ok();
            // Only the fixture's three: the watch test adds resources of its own meanwhile.
            return string.Join(" ", Lines(output).Select(l => l["gatewaysync.stoker.io/".Length..]).Where(n => n is "one" or "two" or "three").Order(StringComparer.Ordinal));
        }

        Assert.Equal("one three", await Names("-l", "tier=web"));
        Assert.Equal("one three", await Names("-l", "tier==web"));
        Assert.Equal("two", await Names("-l", "tier!=web"));
        Assert.Equal("one three two", await Names("-l", "tier in (web,db)"));
        Assert.Equal("two", await Names("-l", "tier notin (web)"));
        Assert.Equal("one two", await Names("-l", "env"));
        Assert.Equal("three", await Names("-l", "!env"));
        Assert.Equal("one", await Names("-l", "tier=web,env=prod"));
        Assert.Equal("two", await Names("--field-selector", "metadata.name=two"));
        Assert.Equal("three", await Names("--field-selector", "metadata.namespace=beta"));
        Assert.Equal("one three", await Names("--field-selector", "metadata.name!=two", "-l", "tier"));

        var bad = await kubectl.RunAsync("get", "gs", "--field-selector", "spec.git.repo=x");
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("field label not supported: spec.git.repo", bad.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Binaries))]
    public async Task ExplainSpecGit_PrintsTheCrdFieldDocs(string binary)
    {
        using var kubectl = fixture.Kubectl(binary);
        var output = (await kubectl.RunAsync("explain", "gatewaysync.spec.git")).Ok();
        Assert.Contains("KIND:", output, StringComparison.Ordinal);
        Assert.Contains("GatewaySync", output, StringComparison.Ordinal);
        Assert.Contains("Git repository and revision that gateways are synced from.", output, StringComparison.Ordinal);
        Assert.Matches(@"repo\s+<string>\s+-required-", output);
        Assert.Contains("Branch name, tag name or full 40-character commit SHA to deploy.", output, StringComparison.Ordinal);

        var recursive = (await kubectl.RunAsync("explain", "gs", "--recursive")).Ok();
        foreach (var field in new[] { "spec", "git", "repo", "gateway", "sync", "profiles", "mappings", "status", "conditions", "metadata" })
        {
            Assert.Matches($@"(?m)^\s+{field}\s+<", recursive);
        }
    }

    [Theory]
    [MemberData(nameof(Binaries))]
    public async Task GetWatch_SeesAddedModifiedAndDeleted(string binary)
    {
        // A namespace of its own per binary: the other tests' resources stay as they are.
        var ns = "watch-" + KubectlClient.MinorVersion(binary).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await fixture.ApplyAsync("watched", ns, "tier: web");
        using var kubectl = fixture.Kubectl(binary, ns);
        var stream = kubectl.StartStream("get", "gs", "-w", "--output-watch-events");
        var deadline = TimeSpan.FromSeconds(60);
        await stream.WaitForLineAsync(l => Columns(l) is ["ADDED", "watched", ..], deadline, "the listed resource as ADDED");

        // A new ref: the spec changes and the controller then writes a new status (REF column); both are MODIFIED.
        await fixture.ApplyAsync("watched", ns, "tier: web", @ref: "no-such-branch");
        await stream.WaitForLineAsync(l => Columns(l) is ["MODIFIED", "watched", ..], deadline, "a MODIFIED event");
        await fixture.ApplyAsync("later", ns, "tier: db");
        await stream.WaitForLineAsync(l => Columns(l) is ["ADDED", "later", ..], deadline, "a resource created during the watch");
        await fixture.DeleteAsync("watched", ns);
        await stream.WaitForLineAsync(l => Columns(l) is ["DELETED", "watched", ..], deadline, "the DELETED event");
        Assert.Matches(@"^EVENT\s+NAME\s+REF\s+GATEWAYS\s+READY\s+STATUS\s+AGE$", stream.Lines[0].TrimEnd());
    }

    private static List<string> Lines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();

    private static string[] Columns(string line) => System.Text.RegularExpressions.Regex.Split(line.Trim(), @"\s+");
}
