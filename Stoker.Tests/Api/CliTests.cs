using System.Text.Json.Nodes;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Grains.Interfaces.Serialization;
using Stoker.Tests.ControlPlane;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Api;

/// <summary>The <c>stoker</c> CLI as a real process against the apply API of a real silo.</summary>
public sealed class CliTests(ApplyApiFixture fixture) : IClassFixture<ApplyApiFixture>
{
    private Uri Server => fixture.Api.Address;

    [Fact]
    public async Task Apply_FileTwice_CreatedThenConfigured()
    {
        using var dir = new TempDirectory("cli");
        var file = dir.Combine("gs.yaml");
        await File.WriteAllTextAsync(file, Doc("gs", "cli-apply") + "\n---\n" + Doc("other", "cli-apply"));

        var first = await RunAsync("apply", "-f", file);
        var second = await RunAsync("apply", "-f", dir.Path);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal("gatewaysync.stoker.io/gs created\ngatewaysync.stoker.io/other created\n", first.Stdout);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal("gatewaysync.stoker.io/gs configured\ngatewaysync.stoker.io/other configured\n", second.Stdout);
        Assert.NotNull(await fixture.ControlPlane.GatewaySync("cli-apply", "other").Get());
    }

    [Fact]
    public async Task Apply_StdinWithoutNamespace_CreatedInTheNamespaceOption()
    {
        var yaml = Doc("piped", "x").Replace("  namespace: x\n", "", StringComparison.Ordinal);

        var run = await CliProcess.RunAsync(Server, ["apply", "-f", "-", "-n", "cli-stdin"], stdin: yaml);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("gatewaysync.stoker.io/piped created\n", run.Stdout);
        Assert.NotNull(await fixture.ControlPlane.GatewaySync("cli-stdin", "piped").Get());
    }

    [Fact]
    public async Task Apply_InvalidResource_Exit1WithEveryCauseOnItsOwnLine()
    {
        var run = await CliProcess.RunAsync(Server, ["apply", "-f", "-"], stdin: Manifests.Invalid("bad", "cli-invalid"));

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Stdout);
        var lines = run.Stderr.TrimEnd().Split('\n');
        Assert.Equal("The GatewaySync \"bad\" is invalid (<stdin>, document 1):", lines[0]);
        Assert.Contains("* spec.git.repo: Required value", lines);
        Assert.Contains("* spec.sync.defaults.syncPeriod: Invalid value: 4: must be greater than or equal to 5", lines);
        Assert.Contains(lines, l => l.StartsWith("* spec.colour: Forbidden: unknown field \"colour\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("* spec.sync.profiles.default.mappings[0].destination: Invalid value: \"../etc\": ", StringComparison.Ordinal));
        Assert.Equal(5, lines.Length);
    }

    [Fact]
    public async Task GetWideAndDescribe_TwoAgentsSynced_ShowTheStatusTheAgentsReported()
    {
        const string Ns = "cli-synced";
        var applied = await CliProcess.RunAsync(Server, ["apply", "-f", "-"], stdin: Doc("site", Ns));
        Assert.True(applied.ExitCode == 0, applied.ToString());
        var blue = new FakeAgent(fixture.ControlPlane.Client, Ns, "site", "blue");
        var red = new FakeAgent(fixture.ControlPlane.Client, Ns, "site", "red");
        try
        {
            await blue.ReportSyncedAsync((await blue.RegisterAsync())!);
            await red.ReportSyncedAsync((await red.RegisterAsync())!);
            await Eventually.Until(fixture.ControlPlane.GatewaySync(Ns, "site").Get,
                r => r!.Status?.Conditions?.Any(c => c.Type == ConditionTypes.Ready && c.Status == ConditionStatus.True) == true, TimeSpan.FromSeconds(10), "Ready=True");

            var table = await RunAsync("get", "gs", "-n", Ns);
            var wide = await RunAsync("get", "gatewaysyncs", "site", "-n", Ns, "-o", "wide");
            var describe = await RunAsync("describe", "gs", "site", "-n", Ns);

            Assert.True(table.ExitCode == 0, table.ToString());
            var rows = Rows(table.Stdout);
            Assert.Equal(["NAME", "REF", "GATEWAYS", "READY", "STATUS", "AGE"], rows[0]);
            Assert.Equal(["site", "main", "2/2 synced", "True", "All gateways synced"], rows[1][..5]);
            Assert.Matches("^[0-9]+s$", rows[1][5]);

            Assert.True(wide.ExitCode == 0, wide.ToString());
            rows = Rows(wide.Stdout);
            Assert.Equal(["NAME", "REF", "GATEWAYS", "READY", "STATUS", "AGE", "COMMIT", "PROFILES", "LAST SYNC"], rows[0]);
            Assert.Equal("2/2 synced", rows[1][2]);
            Assert.Equal(fixture.Commit[..7], rows[1][6]);
            Assert.Equal("1", rows[1][7]);

            Assert.True(describe.ExitCode == 0, describe.ToString());
            var text = describe.Stdout;
            Assert.Contains("Name:                   site\n", text, StringComparison.Ordinal);
            Assert.Contains("Namespace:              cli-synced\n", text, StringComparison.Ordinal);
            Assert.Contains($"  Repository:           {fixture.Repo.Path}\n", text, StringComparison.Ordinal);
            Assert.Contains("    default (1 mapping):\n      projects -> projects\n", text, StringComparison.Ordinal);
            Assert.Contains("  Observed Generation:  1\n", text, StringComparison.Ordinal);
            Assert.Contains($"  Last Sync Commit:     {fixture.Commit}\n", text, StringComparison.Ordinal);
            Assert.Matches(@"\n  TYPE +STATUS +REASON +AGE +MESSAGE\n", text);
            Assert.Matches(@"\n  AllGatewaysSynced +True +SyncSucceeded +[0-9]+s +2/2 synced\n", text);
            Assert.Matches(@"\n  Ready +True +SyncSucceeded +[0-9]+s +All gateways synced\n", text);
            Assert.Matches(@"\n  NAME +PROFILE +STATUS +COMMIT +REF +LAST SYNC +DURATION +FILES +SCAN +AGENT\n", text);
            Assert.Matches($@"\n  blue +<none> +Synced +{fixture.Commit[..7]} +main ", text);
            Assert.Matches($@"\n  red +<none> +Synced +{fixture.Commit[..7]} +main ", text);
        }
        finally
        {
            blue.Forget();
            red.Forget();
        }
    }

    [Fact]
    public async Task Get_AllNamespacesAndEmptyNamespace_NamespaceColumnAndNoResourcesFound()
    {
        Assert.Equal(0, (await CliProcess.RunAsync(Server, ["apply", "-f", "-"], stdin: Doc("listed", "cli-all"))).ExitCode);

        var all = await RunAsync("get", "gs", "-A");
        var empty = await RunAsync("get", "gs", "-n", "cli-nothing-here");

        Assert.True(all.ExitCode == 0, all.ToString());
        var rows = Rows(all.Stdout);
        Assert.Equal("NAMESPACE", rows[0][0]);
        Assert.Contains(rows, r => r[0] == "cli-all" && r[1] == "listed");
        Assert.Equal(0, empty.ExitCode);
        Assert.Equal("", empty.Stdout);
        Assert.Equal("No resources found in cli-nothing-here namespace.\n", empty.Stderr);
    }

    [Fact]
    public async Task Get_OutputYamlAndJson_TheStoredResource()
    {
        Assert.Equal(0, (await CliProcess.RunAsync(Server, ["apply", "-f", "-"], stdin: Doc("printed", "cli-output"))).ExitCode);

        // The apply answered before the reconcile: get is polled until the reconciled status shows.
        var yaml = await Eventually.Until(() => RunAsync("get", "gs", "printed", "-n", "cli-output", "-o", "yaml"),
            r => r.ExitCode == 0 && r.Stdout.Contains("lastSyncCommit", StringComparison.Ordinal), GatewaySyncApply.Deadline, "the reconciled status");
        var json = await RunAsync("get", "gs", "-n", "cli-output", "-o", "json");

        Assert.True(yaml.ExitCode == 0, yaml.ToString());
        var parsed = YamlJson.ReadOne(yaml.Stdout);
        Assert.Equal("printed", (string?)parsed["metadata"]!["name"]);
        Assert.Equal(fixture.Commit, (string?)parsed["status"]!["lastSyncCommit"]);
        var list = JsonNode.Parse(json.Stdout)!;
        Assert.Equal("List", (string?)list["kind"]);
        Assert.Equal("printed", (string?)list["items"]![0]!["metadata"]!["name"]);
    }

    [Fact]
    public async Task Delete_Existing_DeletedThenGetFailsWithNotFound()
    {
        Assert.Equal(0, (await CliProcess.RunAsync(Server, ["apply", "-f", "-"], stdin: Doc("doomed", "cli-delete"))).ExitCode);

        var deleted = await RunAsync("delete", "gs", "doomed", "-n", "cli-delete");
        var get = await RunAsync("get", "gs", "doomed", "-n", "cli-delete");
        var again = await RunAsync("delete", "gs", "doomed", "-n", "cli-delete");
        var ignored = await RunAsync("delete", "gs", "doomed", "-n", "cli-delete", "--ignore-not-found");

        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        Assert.Equal("gatewaysync.stoker.io \"doomed\" deleted\n", deleted.Stdout);
        Assert.Equal(1, get.ExitCode);
        Assert.Equal("Error from server (NotFound): gatewaysyncs.stoker.io \"doomed\" not found\n", get.Stderr);
        Assert.Equal(1, again.ExitCode);
        Assert.Equal(0, ignored.ExitCode);
        Assert.Null(await fixture.ControlPlane.GatewaySync("cli-delete", "doomed").Get());
    }

    [Fact]
    public async Task ServerFromEnvironment_UsedWhenNoServerOption()
    {
        var run = await CliProcess.RunAsync(null, ["get", "gs", "-n", "cli-env"], environmentServer: Server.ToString());

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("No resources found in cli-env namespace.\n", run.Stderr);
    }

    [Theory]
    [InlineData(new[] { "get", "pods" }, "error: unknown resource type \"pods\"")]
    [InlineData(new[] { "get", "gs", "-o", "table" }, "error: Argument 'table' not recognized. Must be one of:")]
    [InlineData(new[] { "apply", "-f", "/no/such/file.yaml" }, "error: the path \"/no/such/file.yaml\" does not exist")]
    [InlineData(new[] { "apply" }, "error: Option '--filename' is required.")]
    [InlineData(new[] { "frobnicate" }, "error: ")]
    [InlineData(new[] { "delete", "gs" }, "error: give a type and at least one name")]
    [InlineData(new[] { "get", "gs", "x", "-A" }, "error: a resource cannot be retrieved by name across all namespaces")]
    public async Task UsageErrors_Exit2WithTheReason(string[] args, string expected)
    {
        var run = await RunAsync(args);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith(expected, run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedServer_Exit2NamingTheOption()
    {
        var run = await CliProcess.RunAsync(null, ["get", "gs", "--server", "ftp://example"]);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: --server \"ftp://example\": must be an absolute http:// or https:// URL", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachableServer_Exit1NamingTheAddress()
    {
        var nobody = new Uri($"http://127.0.0.1:{FreePort.Next()}/");

        var run = await CliProcess.RunAsync(nobody, ["get", "gs"]);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith($"error: cannot reach the Stoker server at {nobody}", run.Stderr, StringComparison.Ordinal);
    }

    private Task<CliRun> RunAsync(params string[] args) => CliProcess.RunAsync(Server, args);

    private string Doc(string name, string ns) => Manifests.GatewaySync(name, ns, fixture.Repo.Path);

    /// <summary>Table cells: columns are separated by at least three spaces (cells hold single spaces).</summary>
    private static List<string[]> Rows(string table) =>
        table.TrimEnd('\n').Split('\n').Select(l => System.Text.RegularExpressions.Regex.Split(l, " {3,}")).ToList();
}
