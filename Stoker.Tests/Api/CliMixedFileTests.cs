using System.Text.Json.Nodes;
using Stoker.Grains.Interfaces.Security;
using Stoker.Grains.Interfaces.Serialization;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Api;

/// <summary>
/// <c>stoker apply -f</c> and <c>delete -f</c> of a file holding a Secret and a GatewaySync (the original operator's
/// docs pattern): each document goes to its own standard route (core/v1 Secrets, the GatewaySync API), checked at
/// the wire; other kinds are refused per document. And <c>stoker kubeconfig</c>.
/// </summary>
public sealed class CliMixedFileTests
{
    private const string Ns = "site";

    private static readonly string Mixed = $"""
        apiVersion: v1
        kind: Secret
        metadata:
          name: ignition-api-key
          namespace: {Ns}
        type: Opaque
        stringData:
          apiKey: "ign-api-key-value"
        ---
        {Manifests.GatewaySync("plant", Ns, "https://git.example.com/plant.git")}
        """;

    [Fact]
    public async Task ApplyTwiceThenDelete_SecretToTheSecretsApi_GatewaySyncToItsOwn()
    {
        await using var server = await KubernetesWireFake.StartAsync();
        using var dir = new TempDirectory("cli-mixed");
        var file = dir.Combine("site.yaml");
        await File.WriteAllTextAsync(file, Mixed);

        var first = await CliProcess.RunAsync(server.Address, ["apply", "-f", file]);
        var second = await CliProcess.RunAsync(server.Address, ["apply", "-f", file]);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal("secret/ignition-api-key created\ngatewaysync.stoker.io/plant created\n", first.Stdout);
        Assert.Equal("", first.Stderr);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal("secret/ignition-api-key configured\ngatewaysync.stoker.io/plant configured\n", second.Stdout);
        var secret = server.Get($"/api/v1/namespaces/{Ns}/secrets/ignition-api-key")!;
        Assert.Equal("Secret", (string?)secret["kind"]);
        Assert.Equal("ign-api-key-value", (string?)secret["stringData"]!["apiKey"]);
        Assert.Equal(
            [
                $"POST /api/v1/namespaces/{Ns}/secrets",
                $"PUT /apis/stoker.io/v1alpha1/namespaces/{Ns}/gatewaysyncs/plant",
                $"POST /api/v1/namespaces/{Ns}/secrets",
                $"PUT /api/v1/namespaces/{Ns}/secrets/ignition-api-key",
                $"PUT /apis/stoker.io/v1alpha1/namespaces/{Ns}/gatewaysyncs/plant",
            ],
            server.Requests);

        var deleted = await CliProcess.RunAsync(server.Address, ["delete", "-f", file]);

        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        Assert.Equal("secret \"ignition-api-key\" deleted\ngatewaysync.stoker.io \"plant\" deleted\n", deleted.Stdout);
        Assert.False(server.Holds($"/api/v1/namespaces/{Ns}/secrets/ignition-api-key"));
        Assert.False(server.Holds($"/apis/stoker.io/v1alpha1/namespaces/{Ns}/gatewaysyncs/plant"));
    }

    [Fact]
    public async Task Apply_OtherKind_ErrorNamingItAndTheSupportedOnes_TheRestStillApplied()
    {
        await using var server = await KubernetesWireFake.StartAsync();
        var yaml = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: settings
            data: {}
            ---
            """ + "\n" + Mixed;

        var run = await CliProcess.RunAsync(server.Address, ["apply", "-f", "-"], stdin: yaml);
        var delete = await CliProcess.RunAsync(server.Address, ["delete", "-f", "-"], stdin: yaml);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal("secret/ignition-api-key created\ngatewaysync.stoker.io/plant created\n", run.Stdout);
        Assert.Equal("error: <stdin>, document 1: kind \"ConfigMap\" (apiVersion \"v1\") is not supported by stoker; supported: GatewaySync (stoker.io/v1alpha1), Secret (v1)\n",
            run.Stderr);
        Assert.True(delete.ExitCode == 1, delete.ToString());
        Assert.StartsWith("error: <stdin>, document 1: kind \"ConfigMap\"", delete.Stderr, StringComparison.Ordinal);
        Assert.Equal("secret \"ignition-api-key\" deleted\ngatewaysync.stoker.io \"plant\" deleted\n", delete.Stdout);
        Assert.DoesNotContain(server.Requests, r => r.Contains("configmaps", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Delete_MissingSecret_TheServersStatus_Exit1()
    {
        await using var server = await KubernetesWireFake.StartAsync();

        var run = await CliProcess.RunAsync(server.Address, ["delete", "-f", "-"], stdin: Mixed);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("Error from server (NotFound): secrets \"ignition-api-key\" not found\n", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kubeconfig_TheServerAndTheAdminTokenStokerUses_OutFileOwnerOnly()
    {
        using var state = new TempDirectory("cli-kubeconfig");
        await File.WriteAllTextAsync(StokerStateFolder.AdminTokenFile(state.Path), "admin-token-value\n");
        var server = new Uri("http://127.0.0.1:18080");

        var printed = await CliProcess.RunAsync(server, ["kubeconfig"], statePath: state.Path);
        var written = await CliProcess.RunAsync(server, ["kubeconfig", "--out", state.Combine("kube", "config"), "-n", "plant"], statePath: state.Path);
        var fromEnvironment = await CliProcess.RunAsync(null, ["kubeconfig", "--https-port", "9443"], environmentServer: "http://10.0.0.5:8080/", environmentToken: "env-token");
        var none = await CliProcess.RunAsync(null, ["kubeconfig"], environmentServer: "http://10.0.0.5:8080");

        Assert.True(printed.ExitCode == 0, printed.ToString());
        var config = YamlJson.ReadOne(printed.Stdout);
        Assert.Equal("Config", (string?)config["kind"]);
        // kubectl sends tokens only over https: the same host on the silo's HTTPS port (8443 by default).
        Assert.Equal("https://127.0.0.1:8443", (string?)config["clusters"]![0]!["cluster"]!["server"]);
        Assert.Equal("admin-token-value", (string?)config["users"]![0]!["user"]!["token"]);
        Assert.Equal("stoker", (string?)config["current-context"]);
        Assert.Equal("default", (string?)config["contexts"]![0]!["context"]!["namespace"]);

        Assert.True(written.ExitCode == 0, written.ToString());
        Assert.Equal("", written.Stdout);
        var file = state.Combine("kube", "config");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        var fromFile = YamlJson.ReadOne(await File.ReadAllTextAsync(file));
        Assert.Equal("plant", (string?)fromFile["contexts"]![0]!["context"]!["namespace"]);
        Assert.Equal("admin-token-value", (string?)fromFile["users"]![0]!["user"]!["token"]);

        Assert.True(fromEnvironment.ExitCode == 0, fromEnvironment.ToString());
        var env = YamlJson.ReadOne(fromEnvironment.Stdout);
        Assert.Equal("https://10.0.0.5:9443", (string?)env["clusters"]![0]!["cluster"]!["server"]);
        Assert.Equal("env-token", (string?)env["users"]![0]!["user"]!["token"]);

        Assert.Equal(1, none.ExitCode);
        Assert.Equal("", none.Stdout);
        Assert.StartsWith("error: no token for http://10.0.0.5:8080/", none.Stderr, StringComparison.Ordinal);
    }
}
