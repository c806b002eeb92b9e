using Stoker.Demo.Processes;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Kubernetes.Mode;

/// <summary>What a user of the original does, against a silo in Kubernetes mode: kubectl apply, get -o wide, delete.</summary>
public sealed class KubectlModeTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private KubernetesModeBed _bed = null!;

    public async Task InitializeAsync() => _bed = await KubernetesModeBed.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task Kubectl_apply_then_get_wide_shows_the_silos_status_and_kubectl_delete_completes()
    {
        var kubectl = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Join(dir, "kubectl")).FirstOrDefault(File.Exists);
        Assert.True(kubectl is not null, "kubectl is not on PATH: install Debian's kubernetes-client package");
        var cache = _bed.Temp.Combine("kubectl-cache");
        Task<CommandResult> Kubectl(params string[] args) =>
            Command.RunAsync(kubectl, ["--kubeconfig", _bed.Kubeconfig, "--cache-dir", cache, .. args], TimeSpan.FromMinutes(1));

        var crd = await Kubectl("apply", "-f", Path.Join(AppContext.BaseDirectory, "Crd", "gatewaysyncs.stoker.io.yaml"));
        Assert.True(crd.Succeeded, crd.Output);
        await _bed.StartSiloAsync();

        var file = _bed.Temp.Combine("site.yaml");
        await File.WriteAllTextAsync(file, $"""
            apiVersion: stoker.io/v1alpha1
            kind: GatewaySync
            metadata:
              name: site
              namespace: plant
            spec:
              git:
                repo: "{_bed.Repo.Path}"
                ref: main
              gateway:
                api:
                  secretName: ignition-api-key
              sync:
                profiles:
                  default:
                    mappings:
                      - source: projects
                        destination: projects
            """);
        var apply = await Kubectl("apply", "-f", file);
        Assert.True(apply.Succeeded, apply.Output);

        var wide = await Eventually.Until(() => Kubectl("get", "gs", "-n", "plant", "-o", "wide"),
            r => r.Succeeded && r.Output.Contains(_bed.Commit[..7], StringComparison.Ordinal) && r.Output.Contains("0/0 synced", StringComparison.Ordinal),
            Timeout, "kubectl get gs -o wide showing the silo's status");
        var lines = wide.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAME", "REF", "GATEWAYS", "READY", "STATUS", "AGE", "COMMIT", "PROFILES", "LAST", "SYNC"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        foreach (var expected in new[] { "site", "main", "0/0 synced", "False", "Waiting for gateways to sync", _bed.Commit[..7], " 1 " })
        {
            Assert.Contains(expected, lines[1], StringComparison.Ordinal);
        }

        // kubectl delete waits for the object to be gone: the silo cleans up and removes its finalizer.
        var delete = await Kubectl("delete", "-f", file);
        Assert.True(delete.Succeeded, delete.Output);
        await Eventually.Until(() => _bed.GetAsync("plant", "site"), r => r is null, Timeout, "the resource gone");
    }
}
