using System.Text;
using Stoker.Tests.Api;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Kubectl;

/// <summary>
/// One real silo (local mode) for the kubectl read tests, holding three GatewaySyncs in two namespaces with labels:
/// <c>alpha/one</c> (tier=web, env=prod), <c>alpha/two</c> (tier=db, env=dev), <c>beta/three</c> (tier=web).
/// </summary>
public class ReadKubectlFixture : IAsyncLifetime
{
    private readonly bool _open;

    private readonly TempDirectory _temp = new("kubectl-read");
    private SiloProcess? _silo;

    public ReadKubectlFixture()
        : this(open: true)
    {
    }

    /// <summary><paramref name="open"/>: the HTTPS port kubectl needs is served too; else only the HTTP port (HTTP-level tests).</summary>
    protected ReadKubectlFixture(bool open) => _open = open;

    public SiloProcess Silo => _silo ?? throw new InvalidOperationException("the silo is not started");

    public string Repo => _temp.Combine("repo");

    public virtual async Task InitializeAsync()
    {
        var repo = GitRepository.Create(Repo);
        repo.WriteFile("projects/A/project.json", "{}");
        repo.Commit("first");
        _silo = await SiloProcess.StartAsync(new SiloProcessSettings
        {
            Name = "kubectl-read",
            // kubectl (client-go) sends a kubeconfig's token only over TLS: the kubectl tests use the silo's HTTPS port.
            Https = _open,
            Environment = _open
                ? new Dictionary<string, string> { ["Stoker__Watch__PollInterval"] = "00:00:00.200" }
                : new Dictionary<string, string> { ["Stoker__Watch__PollInterval"] = "00:00:00.200", ["Stoker__Watch__MaxConcurrentWatches"] = "2", ["Stoker__Watch__BookmarkInterval"] = "00:00:01" },
        });
        await ApplyAsync("one", "alpha", "tier: web\n    env: prod");
        await ApplyAsync("two", "alpha", "tier: db\n    env: dev");
        await ApplyAsync("three", "beta", "tier: web");
    }

    /// <summary>PUTs a GatewaySync with the given labels (YAML lines under <c>labels:</c>) and returns the answer's status.</summary>
    public async Task ApplyAsync(string name, string ns, string labels, string @ref = "main")
    {
        var manifest = Manifests.GatewaySync(name, ns, Repo, @ref).Replace(
            $"  namespace: {ns}\n", $"  namespace: {ns}\n  labels:\n    {labels}\n", StringComparison.Ordinal);
        using var content = new StringContent(manifest, Encoding.UTF8, "application/yaml");
        using var response = await Silo.Http.PutAsync(new Uri($"/apis/stoker.io/v1alpha1/namespaces/{ns}/gatewaysyncs/{name}", UriKind.Relative), content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"applying {ns}/{name}: {(int)response.StatusCode} {body}");
    }

    public async Task DeleteAsync(string name, string ns)
    {
        using var response = await Silo.Http.DeleteAsync(new Uri($"/apis/stoker.io/v1alpha1/namespaces/{ns}/gatewaysyncs/{name}", UriKind.Relative));
        Assert.True(response.IsSuccessStatusCode, $"deleting {ns}/{name}: {(int)response.StatusCode}");
    }

    public KubectlClient Kubectl(string binary, string @namespace = "alpha") => new(binary, Silo.HttpsAddress, Silo.AdminToken.Token, @namespace, Silo.CaFile);

    public virtual async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        _temp.Dispose();
    }
}
