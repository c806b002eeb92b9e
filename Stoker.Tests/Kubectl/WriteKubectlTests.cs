using System.Text.Json.Nodes;
using Stoker.Tests.Api;
using Stoker.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Stoker.Tests.Kubectl;

/// <summary>
/// The write side of kubectl against a real silo in local mode, with Debian's kubectl 1.20 and the machine's 1.32:
/// client-side apply (created, configured, unchanged), server-side apply with a conflict and --force-conflicts,
/// server dry runs, patch (merge and JSON), label, annotate, replace with a stale resourceVersion, delete, and
/// Secrets (data and stringData, the original's mixed Secret + GatewaySync file). kubectl validates against the
/// silo's OpenAPI (1.20: v2 protobuf; 1.32: server-side field validation, learnt from v3).
/// </summary>
public sealed class WriteKubectlTests(WriteKubectlFixture fixture, ITestOutputHelper output) : IClassFixture<WriteKubectlFixture>
{
    public static TheoryData<string> Binaries() => new(KubectlClient.Binaries());

    [Theory]
    [MemberData(nameof(Binaries))]
    public async Task Apply_CreatedThenConfiguredThenUnchanged_LastAppliedKept(string binary)
    {
        using var kubectl = fixture.Client(binary);
        var ns = Namespace("apply", binary);
        var file = Write(kubectl, "gs.yaml", Manifests.GatewaySync("gs", ns, fixture.Repo.Path));

        Assert.Contains("gatewaysync.stoker.io/gs created", (await Run(kubectl, "apply", "-f", file)).Ok(), StringComparison.Ordinal);
        Write(kubectl, "gs.yaml", Manifests.GatewaySync("gs", ns, fixture.Repo.Path, @ref: "v2"));
        Assert.Contains("gatewaysync.stoker.io/gs configured", (await Run(kubectl, "apply", "-f", file)).Ok(), StringComparison.Ordinal);
        Assert.Contains("gatewaysync.stoker.io/gs unchanged", (await Run(kubectl, "apply", "-f", file)).Ok(), StringComparison.Ordinal);

        var stored = await GetJsonAsync(kubectl, ns, "gs");
        Assert.Equal("v2", (string?)stored["spec"]!["git"]!["ref"]);
        Assert.Equal(2, (long?)stored["metadata"]!["generation"]);
        Assert.Contains("\"ref\":\"v2\"", (string?)stored["metadata"]!["annotations"]!["kubectl.kubernetes.io/last-applied-configuration"], StringComparison.Ordinal);
        Assert.Contains(stored["metadata"]!["managedFields"]!.AsArray(), e => (string?)e!["manager"] == "kubectl-client-side-apply");
    }

    [Theory]
    [MemberData(nameof(Binaries))]
    public async Task ServerSideApply_ConflictReportedAsKubectlExpects_ForceConflictsResolvesIt(string binary)
    {
        using var kubectl = fixture.Client(binary);
        var ns = Namespace("ssa", binary);
        var file = Write(kubectl, "gs.yaml", Manifests.GatewaySync("gs", ns, fixture.Repo.Path));
        var other = Write(kubectl, "other.yaml", Manifests.GatewaySync("gs", ns, fixture.Repo.Path, @ref: "v7"));

        Assert.Contains("gatewaysync.stoker.io/gs serverside-applied", (await Run(kubectl, "apply", "--server-side", "-f", file)).Ok(), StringComparison.Ordinal);
        var conflict = await Run(kubectl, "apply", "--server-side", "--field-manager=other", "-f", other);
        Assert.NotEqual(0, conflict.ExitCode);
        Assert.Contains("Apply failed with 1 conflict: conflict with \"kubectl\" using stoker.io/v1alpha1: .spec.git.ref", conflict.Stderr, StringComparison.Ordinal);
        Assert.Contains("--force-conflicts", conflict.Stderr, StringComparison.Ordinal);

        Assert.Contains("serverside-applied", (await Run(kubectl, "apply", "--server-side", "--field-manager=other", "--force-conflicts", "-f", other)).Ok(), StringComparison.Ordinal);
        var stored = await GetJsonAsync(kubectl, ns, "gs");
        Assert.Equal("v7", (string?)stored["spec"]!["git"]!["ref"]);
        Assert.Contains(stored["metadata"]!["managedFields"]!.AsArray(), e => (string?)e!["manager"] == "other" && (string?)e["operation"] == "Apply");
    }

    [Theory]
    [MemberData(nameof(Binaries))]
    public async Task ServerDryRun_ReportsAndStoresNothing(string binary)
    {
        using var kubectl = fixture.Client(binary);
        var ns = Namespace("dry", binary);
        var file = Write(kubectl, "gs.yaml", Manifests.GatewaySync("gs", ns, fixture.Repo.Path));
        var dryRun = await Run(kubectl, "apply", "--dry-run=server", "-f", file);

        Assert.Contains("gatewaysync.stoker.io/gs created (server dry run)", dryRun.Ok(), StringComparison.Ordinal);

        AssertNotFound(await Run(kubectl, "get", "gs", "gs", "-n", ns, "-o", "json"));
    }

    [Theory]
    [MemberData(nameof(Binaries))]
    public async Task PatchLabelAnnotate_EachChangesTheStoredResource(string binary)
    {
        using var kubectl = fixture.Client(binary);
        var ns = Namespace("patch", binary);
        var file = Write(kubectl, "gs.yaml", Manifests.GatewaySync("gs", ns, fixture.Repo.Path));
        (await Run(kubectl, "apply", "-f", file)).Ok();

        Assert.Contains("patched", (await Run(kubectl, "patch", "gs", "gs", "-n", ns, "--type", "merge", "-p", """{"spec":{"git":{"ref":"v2"}}}""")).Ok(), StringComparison.Ordinal);
        Assert.Contains("patched", (await Run(kubectl, "patch", "gs", "gs", "-n", ns, "--type", "json", "-p", """[{"op":"replace","path":"/spec/git/ref","value":"v3"}]""")).Ok(), StringComparison.Ordinal);
        Assert.Contains("labeled", (await Run(kubectl, "label", "gs", "gs", "-n", ns, "team=plant-a")).Ok(), StringComparison.Ordinal);
        Assert.Contains("annotated", (await Run(kubectl, "annotate", "gs", "gs", "-n", ns, "note=hello")).Ok(), StringComparison.Ordinal);

        var stored = await GetJsonAsync(kubectl, ns, "gs");
        Assert.Equal("v3", (string?)stored["spec"]!["git"]!["ref"]);
        Assert.Equal("plant-a", (string?)stored["metadata"]!["labels"]!["team"]);
        Assert.Equal("hello", (string?)stored["metadata"]!["annotations"]!["note"]);
        var managers = stored["metadata"]!["managedFields"]!.AsArray().Select(e => (string?)e!["manager"]).ToList();
        output.WriteLine($"{binary}: managers {string.Join(", ", managers)}");
        Assert.Contains("kubectl-label", managers);
        Assert.Contains("kubectl-annotate", managers);

        var bad = await Run(kubectl, "patch", "gs", "gs", "-n", ns, "--type", "strategic", "-p", """{"spec":{}}""");
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("application/merge-patch+json", bad.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Binaries))]
    public async Task Replace_WithAStaleResourceVersion_409TheObjectHasBeenModified(string binary)
    {
        using var kubectl = fixture.Client(binary);
        var ns = Namespace("stale", binary);
        var file = Write(kubectl, "gs.yaml", Manifests.GatewaySync("gs", ns, fixture.Repo.Path));
        (await Run(kubectl, "apply", "-f", file)).Ok();
        var read = await GetJsonAsync(kubectl, ns, "gs");
        read["metadata"]!["resourceVersion"] = "1";
        read["spec"]!["git"]!["ref"] = "stale";
        var stale = Write(kubectl, "stale.json", read.ToJsonString());

        var replace = await Run(kubectl, "replace", "-f", stale);

        Assert.NotEqual(0, replace.ExitCode);
        Assert.Contains("the object has been modified; please apply your changes to the latest version and try again", replace.Stderr, StringComparison.Ordinal);
        Assert.Equal("main", (string?)(await GetJsonAsync(kubectl, ns, "gs"))["spec"]!["git"]!["ref"]);
    }

    [Theory]
    [MemberData(nameof(Binaries))]
    public async Task Delete_ByFileAndByName(string binary)
    {
        using var kubectl = fixture.Client(binary);
        var nsFile = Namespace("del-file", binary);
        var nsName = Namespace("del-name", binary);
        var byFile = Write(kubectl, "a.yaml", Manifests.GatewaySync("gs", nsFile, fixture.Repo.Path));
        var byName = Write(kubectl, "b.yaml", Manifests.GatewaySync("gs", nsName, fixture.Repo.Path));
        (await Run(kubectl, "apply", "-f", byFile)).Ok();
        (await Run(kubectl, "apply", "-f", byName)).Ok();

        Assert.Contains("gatewaysync.stoker.io \"gs\" deleted", (await Run(kubectl, "delete", "-f", byFile)).Ok(), StringComparison.Ordinal);
        Assert.Contains("gatewaysync.stoker.io \"gs\" deleted", (await Run(kubectl, "delete", "gs", "gs", "-n", nsName)).Ok(), StringComparison.Ordinal);

        AssertNotFound(await Run(kubectl, "get", "gs", "gs", "-n", nsFile, "-o", "json"));
        AssertNotFound(await Run(kubectl, "get", "gs", "gs", "-n", nsName, "-o", "json"));
    }

    [Theory]
    [MemberData(nameof(Binaries))]
    public async Task Secrets_ApplyDataAndStringData_GetAsYaml_Delete(string binary)
    {
        using var kubectl = fixture.Client(binary);
        var ns = Namespace("secret", binary);
        var file = Write(kubectl, "secret.yaml", $"""
            apiVersion: v1
            kind: Secret
            metadata:
              name: git-credentials
              namespace: {ns}
            type: Opaque
            data:
              username: Z2l0
            stringData:
              token: ghp_example
            """);

        Assert.Contains("secret/git-credentials created", (await Run(kubectl, "apply", "-f", file)).Ok(), StringComparison.Ordinal);
        var yaml = (await Run(kubectl, "get", "secret", "git-credentials", "-n", ns, "-o", "yaml")).Ok();
        Assert.Contains("username: Z2l0", yaml, StringComparison.Ordinal);
        Assert.Contains("token: Z2hwX2V4YW1wbGU=", yaml, StringComparison.Ordinal);
        Assert.Equal("ghp_example", await File.ReadAllTextAsync(Path.Join(fixture.SecretsPath, ns, "git-credentials", "token")));

        Write(kubectl, "secret.yaml", File.ReadAllText(file).Replace("ghp_example", "ghp_rotated", StringComparison.Ordinal));
        Assert.Contains("secret/git-credentials configured", (await Run(kubectl, "apply", "-f", file)).Ok(), StringComparison.Ordinal);
        Assert.Equal("ghp_rotated", await File.ReadAllTextAsync(Path.Join(fixture.SecretsPath, ns, "git-credentials", "token")));

        Assert.Contains("secret \"git-credentials\" deleted", (await Run(kubectl, "delete", "secret", "git-credentials", "-n", ns)).Ok(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Join(fixture.SecretsPath, ns, "git-credentials")));
    }

    [Theory]
    [MemberData(nameof(Binaries))]
    public async Task MixedSecretAndGatewaySyncFile_BothApplied(string binary)
    {
        using var kubectl = fixture.Client(binary);
        var ns = Namespace("mixed", binary);
        var file = Write(kubectl, "mixed.yaml", $"""
            apiVersion: v1
            kind: Secret
            metadata:
              name: ignition-api-key
              namespace: {ns}
            type: Opaque
            stringData:
              apiKey: "key:secret"
            ---
            {Manifests.GatewaySync("gs", ns, fixture.Repo.Path)}
            """);

        var applied = (await Run(kubectl, "apply", "-f", file)).Ok();

        Assert.Contains("secret/ignition-api-key created", applied, StringComparison.Ordinal);
        Assert.Contains("gatewaysync.stoker.io/gs created", applied, StringComparison.Ordinal);
        Assert.Equal("key:secret", await File.ReadAllTextAsync(Path.Join(fixture.SecretsPath, ns, "ignition-api-key", "apiKey")));
        Assert.Contains("unchanged", (await Run(kubectl, "apply", "-f", file)).Ok(), StringComparison.Ordinal);
    }

    private async Task<KubectlResult> Run(KubectlClient kubectl, params string[] args)
    {
        var result = await kubectl.RunAsync(args);
        output.WriteLine($"$ kubectl {result.Command} -> {result.ExitCode}\n{result.Stdout}{result.Stderr}");
        return result;
    }

    /// <summary>The resource as kubectl prints it, managedFields included (kubectl 1.21+ hides them unless asked).</summary>
    private async Task<JsonNode> GetJsonAsync(KubectlClient kubectl, string ns, string name)
    {
        string[] args = KubectlClient.MinorVersion(kubectl.Binary) >= 21
            ? ["get", "gs", name, "-n", ns, "-o", "json", "--show-managed-fields"]
            : ["get", "gs", name, "-n", ns, "-o", "json"];
        return JsonNode.Parse((await Run(kubectl, args)).Ok())!;
    }

    private static void AssertNotFound(KubectlResult result)
    {
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("NotFound", result.Stderr, StringComparison.Ordinal);
    }

    private static string Write(KubectlClient kubectl, string fileName, string content)
    {
        var path = Path.Join(kubectl.WorkFolder, fileName);
        File.WriteAllText(path, content);
        return path;
    }

    private static string Namespace(string prefix, string binary) => $"kw-{prefix}-{KubectlClient.MinorVersion(binary)}";
}
