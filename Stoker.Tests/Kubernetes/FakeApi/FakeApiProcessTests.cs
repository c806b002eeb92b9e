using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using Stoker.Tests.Infrastructure;
using static Stoker.Tests.Kubernetes.FakeApi.FakeApiHarness;

namespace Stoker.Tests.Kubernetes.FakeApi;

/// <summary>The fake as its own process (for silo processes and manual kubectl use), driven through its /fake/ hooks.</summary>
public sealed class FakeApiProcessTests
{
    [Fact]
    public async Task The_standalone_fake_writes_a_kubeconfig_serves_clients_and_exits_when_stdin_closes()
    {
        using var folder = new TempDirectory("fake-kube-process");
        var kubeconfig = folder.Combine("kubeconfig");
        var program = BuiltProgram.Find("Stoker.Tests.FakeKubeApi", "stoker-fake-kube-api.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { program, "--port", "0", "--kubeconfig", kubeconfig, "--exit-on-stdin-close" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        try
        {
            using var ready = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var line = await process.StandardOutput.ReadLineAsync(ready.Token);
            Assert.StartsWith("listening on http://127.0.0.1:", line, StringComparison.Ordinal);
            var url = new Uri(line!["listening on ".Length..]);
            Assert.True(File.Exists(kubeconfig));

            using var client = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
            var first = Json(await client.CustomObjects.CreateNamespacedCustomObjectAsync(GatewaySync("a"), CrGroup, CrVersion, "default", CrPlural));
            await client.CustomObjects.CreateNamespacedCustomObjectAsync(GatewaySync("b"), CrGroup, CrVersion, "default", CrPlural);

            using var http = new HttpClient { BaseAddress = url };
            using var compact = await http.PostAsync("/fake/compact", null);
            compact.EnsureSuccessStatusCode();
            await using var watch = WatchRecorder.GatewaySyncs(client, ResourceVersionOf(first));
            await Eventually.Until(() => Task.FromResult(watch.Ended), ended => ended, TimeSpan.FromSeconds(20), "the watch to be refused");
            Assert.Equal(HttpStatusCode.Gone, Assert.IsType<HttpOperationException>(watch.Error).Response.StatusCode);

            var requests = await http.GetFromJsonAsync<JsonArray>("/fake/requests");
            Assert.Contains(requests!, r => r!["Verb"]!.GetValue<string>() == "watch" && r["StatusCode"]!.GetValue<int>() == 410);
        }
        finally
        {
            process.StandardInput.Close();
            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(exit.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        Assert.Equal(0, process.ExitCode);
    }
}
