using System.Text.RegularExpressions;
using Stoker.Grains.Interfaces.Serialization;
using Stoker.Tests.Api;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Kubectl;

/// <summary>
/// Issue 15's acceptance: against a real silo process (local mode, API authentication, HTTPS beside HTTP since kubectl
/// sends a token only over HTTPS), each kubectl binary (Debian's 1.20 and the machine's) runs what a user would, and
/// every output is checked: apply (create, change, unchanged), get (table, wide, yaml, watch seeing a status change),
/// describe with the controller's events, explain, server-side apply, server dry run, delete, api-resources, the
/// original operator's mixed Secret + GatewaySync file (with kubectl and with stoker), and a wrong token.
/// </summary>
public sealed partial class KubectlAcceptanceTests(EventsKubectlSilo fixture) : IClassFixture<EventsKubectlSilo>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public static IEnumerable<object[]> Binaries() => EventsKubectlSilo.Binaries();

    [Theory]
    [MemberData(nameof(Binaries))]
    public async Task WhatAUserRuns_EachOutputChecked(string binary)
    {
        var minor = KubectlClient.MinorVersion(binary);
        var ns = "accept-" + minor;
        using var kubectl = fixture.Kubectl(binary, ns);
        var file = Path.Join(kubectl.WorkFolder, "site.yaml");

        // apply -f: create, change, apply again unchanged.
        await File.WriteAllTextAsync(file, Manifests.GatewaySync("site", ns, fixture.Repo.Path));
        Assert.Equal("gatewaysync.stoker.io/site created\n", (await kubectl.RunAsync("apply", "-f", file)).Ok());
        await File.WriteAllTextAsync(file, Manifests.GatewaySync("site", ns, fixture.Repo.Path, destination: "projects-2"));
        Assert.Equal("gatewaysync.stoker.io/site configured\n", (await kubectl.RunAsync("apply", "-f", file)).Ok());
        Assert.Equal("gatewaysync.stoker.io/site unchanged\n", (await kubectl.RunAsync("apply", "-f", file)).Ok());

        // get gs: the CRD's printer columns, once the reconcile has written a status (Ready shows True or False).
        var table = await Eventually.Until(() => kubectl.RunAsync("get", "gs"),
            r => r.ExitCode == 0 && Row(r.Stdout, "site") is { } row && ReadyColumn().IsMatch(row), Deadline, "site's Ready column");
        Assert.Matches(@"^NAME\s+REF\s+GATEWAYS\s+READY\s+STATUS\s+AGE\n", table.Stdout);
        var wide = (await kubectl.RunAsync("get", "gs", "-o", "wide")).Ok();
        Assert.Matches(@"^NAME\s+REF\s+GATEWAYS\s+READY\s+STATUS\s+AGE\s+COMMIT\s+PROFILES\s+LAST SYNC\n", wide);
        Assert.NotNull(Row(wide, "site"));

        // get -o yaml: the stored object, with the changed spec and the status conditions.
        var yaml = YamlJson.ReadOne((await kubectl.RunAsync("get", "gs", "site", "-o", "yaml")).Ok());
        Assert.Equal("GatewaySync", (string?)yaml["kind"]);
        Assert.Equal("projects-2", (string?)yaml["spec"]!["sync"]!["profiles"]!["default"]!["mappings"]![0]!["destination"]);
        Assert.False(string.IsNullOrEmpty((string?)yaml["metadata"]!["resourceVersion"]));
        Assert.Contains(yaml["status"]!["conditions"]!.AsArray(), c => (string?)c!["type"] == "Ready");

        // get -w: started on the settled object, it sees the status change an unresolvable ref makes.
        var watch = kubectl.StartStream("get", "gs", "site", "-w");
        var first = await watch.WaitForLineAsync(l => l.StartsWith("site ", StringComparison.Ordinal), Deadline, "the watch's first row");
        await File.WriteAllTextAsync(file, Manifests.GatewaySync("site", ns, fixture.Repo.Path, @ref: "no-such-tag", destination: "projects-2"));
        Assert.Equal("gatewaysync.stoker.io/site configured\n", (await kubectl.RunAsync("apply", "-f", file)).Ok());
        await watch.WaitForLineAsync(l => l.StartsWith("site ", StringComparison.Ordinal) && l != first && l.Contains("False", StringComparison.Ordinal),
            Deadline, "a row with the failed ref's status");

        // describe: the object and the controller's events.
        var describe = await Eventually.Until(() => kubectl.RunAsync("describe", "gs", "site"),
            r => r.ExitCode == 0 && r.Stdout.Contains("RefResolutionFailed", StringComparison.Ordinal), Deadline, "the event in describe");
        Assert.Matches(@"(?m)^Name:\s+site$", describe.Stdout);
        Assert.Matches(@"(?m)^Events:\n\s+Type\s+Reason\s+Age\s+From\s+Message\n", describe.Stdout);
        Assert.Matches(@"(?m)^\s+Warning\s+RefResolutionFailed\s+.*gatewaysync-controller\s+Ref resolution failed: ", describe.Stdout);

        // explain: the schema from the server's OpenAPI.
        var explain = (await kubectl.RunAsync("explain", "gatewaysync.spec.git")).Ok();
        Assert.Matches(@"KIND:\s+GatewaySync", explain);
        Assert.Matches(@"(?m)^\s+repo\s+<string>", explain);
        Assert.Matches(@"(?m)^\s+ref\s+<string>", explain);

        // apply --server-side: created, then changed.
        var ssa = Path.Join(kubectl.WorkFolder, "ssa.yaml");
        await File.WriteAllTextAsync(ssa, Manifests.GatewaySync("ssa", ns, fixture.Repo.Path));
        Assert.Equal("gatewaysync.stoker.io/ssa serverside-applied\n", (await kubectl.RunAsync("apply", "--server-side", "-f", ssa)).Ok());
        await File.WriteAllTextAsync(ssa, Manifests.GatewaySync("ssa", ns, fixture.Repo.Path, destination: "elsewhere"));
        Assert.Equal("gatewaysync.stoker.io/ssa serverside-applied\n", (await kubectl.RunAsync("apply", "--server-side", "-f", ssa)).Ok());
        var applied = YamlJson.ReadOne((await kubectl.RunAsync("get", "gs", "ssa", "-o", "yaml")).Ok());
        Assert.Equal("elsewhere", (string?)applied["spec"]!["sync"]!["profiles"]!["default"]!["mappings"]![0]!["destination"]);

        // apply --dry-run=server: answered as if done, nothing stored.
        await File.WriteAllTextAsync(ssa, Manifests.GatewaySync("ssa", ns, fixture.Repo.Path, destination: "dry"));
        Assert.Equal("gatewaysync.stoker.io/ssa configured (server dry run)\n", (await kubectl.RunAsync("apply", "--dry-run=server", "-f", ssa)).Ok());
        var after = YamlJson.ReadOne((await kubectl.RunAsync("get", "gs", "ssa", "-o", "yaml")).Ok());
        Assert.Equal("elsewhere", (string?)after["spec"]!["sync"]!["profiles"]!["default"]!["mappings"]![0]!["destination"]);

        // api-resources: the GatewaySync type with its short name (1.20 prints the group, newer ones group/version).
        var resources = (await kubectl.RunAsync("api-resources")).Ok();
        Assert.Matches(@"(?m)^gatewaysyncs\s+gs\s+stoker\.io(/v1alpha1)?\s+true\s+GatewaySync\s*$", resources);
        Assert.Matches(@"(?m)^secrets\s+.*\btrue\s+Secret\s*$", resources);
        Assert.Matches(@"(?m)^events\s+.*\btrue\s+Event\s*$", resources);

        // delete: gone, and get says NotFound as for any resource.
        Assert.Equal("gatewaysync.stoker.io \"ssa\" deleted\n", (await kubectl.RunAsync("delete", "gs", "ssa")).Ok());
        var missing = await kubectl.RunAsync("get", "gs", "ssa");
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal("Error from server (NotFound): gatewaysyncs.stoker.io \"ssa\" not found\n", missing.Stderr);
        Assert.Equal("gatewaysync.stoker.io \"site\" deleted\n", (await kubectl.RunAsync("delete", "-f", file)).Ok());
    }

    [Theory]
    [MemberData(nameof(Binaries))]
    public async Task MixedSecretAndGatewaySyncFile_KubectlAndStoker(string binary)
    {
        var ns = "mixed-" + KubectlClient.MinorVersion(binary);
        using var kubectl = fixture.Kubectl(binary, ns);
        var file = Path.Join(kubectl.WorkFolder, "site.yaml");
        await File.WriteAllTextAsync(file, $"""
            apiVersion: v1
            kind: Secret
            metadata:
              name: ignition-api-key
              namespace: {ns}
            type: Opaque
            stringData:
              apiKey: "ign-api-key-value"
            ---
            {Manifests.GatewaySync("plant", ns, fixture.Repo.Path)}
            """);

        Assert.Equal("secret/ignition-api-key created\ngatewaysync.stoker.io/plant created\n", (await kubectl.RunAsync("apply", "-f", file)).Ok());
        var secret = YamlJson.ReadOne((await kubectl.RunAsync("get", "secret", "ignition-api-key", "-o", "yaml")).Ok());
        Assert.Equal("aWduLWFwaS1rZXktdmFsdWU=", (string?)secret["data"]!["apiKey"]);

        var stoker = await CliProcess.RunAsync(fixture.Silo.Address, ["apply", "-f", file], statePath: fixture.Silo.StatePath);
        Assert.True(stoker.ExitCode == 0, stoker.ToString());
        Assert.Equal("secret/ignition-api-key configured\ngatewaysync.stoker.io/plant configured\n", stoker.Stdout);

        Assert.Equal("secret \"ignition-api-key\" deleted\ngatewaysync.stoker.io \"plant\" deleted\n", (await kubectl.RunAsync("delete", "-f", file)).Ok());
        var gone = await CliProcess.RunAsync(fixture.Silo.Address, ["delete", "-f", file], statePath: fixture.Silo.StatePath);
        Assert.Equal(1, gone.ExitCode);
        Assert.Contains("(NotFound)", gone.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Binaries))]
    public async Task WrongToken_Unauthorized(string binary)
    {
        using var kubectl = new KubectlClient(binary, fixture.Silo.HttpsAddress, "wrong-token", certificateAuthorityFile: fixture.Silo.CaFile);

        var get = await kubectl.RunAsync("get", "gs");

        Assert.Equal(1, get.ExitCode);
        Assert.True(get.Stderr.Contains("error: You must be logged in to the server (", StringComparison.Ordinal), get.Stderr);
    }

    /// <summary>The table row of <paramref name="name"/>, or null.</summary>
    private static string? Row(string table, string name) =>
        table.Split('\n').FirstOrDefault(l => l.StartsWith(name + " ", StringComparison.Ordinal));

    /// <summary>A row whose READY column holds a condition status (the fourth column follows REF and GATEWAYS).</summary>
    [GeneratedRegex(@"\s(True|False|Unknown)\s")]
    private static partial Regex ReadyColumn();
}
