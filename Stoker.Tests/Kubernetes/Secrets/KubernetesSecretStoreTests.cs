using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Stoker.Grains.Secrets;
using Stoker.Silo.Kubernetes;
using Stoker.Silo.Kubernetes.Secrets;
using Stoker.Tests.FakeKubeApi;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Kubernetes.Secrets;

/// <summary>
/// The Kubernetes Secret store with its metadata watch against the fake API server: values fetched on first read and
/// held only for Secrets read, a change through the API picked up by the next read, deletion, a dropped or expired
/// watch recovering, the API's refusal and an oversize Secret reported naming the Secret.
/// </summary>
public sealed class KubernetesSecretStoreTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly FakeKubeApiServer _api = new();
    private readonly TempDirectory _temp = new("k8s-secret-store");
    private IKubernetes _client = null!;
    private KubernetesSecretStore _store = null!;
    private SecretMetadataWatch _watch = null!;

    public async Task InitializeAsync()
    {
        await _api.StartAsync();
        _client = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(_api.WriteKubeconfig(_temp.Combine("kubeconfig"))));
        _store = new KubernetesSecretStore(_client, TimeProvider.System, NullLogger<KubernetesSecretStore>.Instance);
        var options = Options.Create(new StokerKubernetesOptions { MinBackoff = TimeSpan.FromMilliseconds(50), MaxBackoff = TimeSpan.FromMilliseconds(500) });
        _watch = new SecretMetadataWatch(_client, _store, new Stoker.Silo.Secrets.SecretChangeNotifier(null!, _ => Task.FromResult<IReadOnlyList<string>>([]), NullLogger<Stoker.Silo.Secrets.SecretChangeNotifier>.Instance), options, TimeProvider.System, NullLogger<SecretMetadataWatch>.Instance);
    }

    public async Task DisposeAsync()
    {
        await _watch.StopAsync(CancellationToken.None);
        _watch.Dispose();
        _client.Dispose();
        await _api.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task OnlySecretsRead_AreHeld_AndAChangeThroughTheApi_IsReadNextTime()
    {
        // A Helm-release-sized Secret nobody names, and the token a GatewaySync names.
        Seed("plant", "sh.helm.release.v1.app.v1", "release", new string('h', 900 * 1024));
        Seed("plant", "git-token", "token", "first-token");
        await _watch.StartAsync(CancellationToken.None);
        await Eventually.Until(() => Task.FromResult(_store.KnownCount), n => n == 2, Timeout, "both Secrets known to the watch");

        Assert.Equal("first-token", await _store.ReadAsync("plant", "git-token", "token", CancellationToken.None));
        Assert.True(_store.Holds("plant", "git-token"));
        Assert.False(_store.Holds("plant", "sh.helm.release.v1.app.v1"));
        Assert.Equal(1, _store.HeldCount);

        // Held: a second read sends no request.
        var gets = Gets("git-token");
        Assert.Null(await _store.ReadAsync("plant", "git-token", "no-such-key", CancellationToken.None));
        Assert.Equal(gets, Gets("git-token"));

        // The metadata watch never carried a value: only the GET did.
        Assert.All(_api.Requests.Where(r => r.Resource == "secrets" && r.Verb is "list" or "watch"), r => Assert.Equal(200, r.StatusCode));

        await Patch("plant", "git-token", "token", "second-token");
        await Eventually.Until(() => Task.FromResult(_store.Holds("plant", "git-token")), held => !held, Timeout, "the change dropping the held values");
        Assert.Equal("second-token", await _store.ReadAsync("plant", "git-token", "token", CancellationToken.None));

        await _client.CoreV1.DeleteNamespacedSecretAsync("git-token", "plant");
        await Eventually.Until(() => _store.ReadAsync("plant", "git-token", "token", CancellationToken.None), v => v is null, Timeout, "the deleted Secret missing");
        Assert.False(await _store.ExistsAsync("plant", "git-token", CancellationToken.None));
    }

    [Fact]
    public async Task ASecretTheWatchHasNotSeen_IsReadWithOneGet_AndAMissingOneIsNull()
    {
        await _watch.StartAsync(CancellationToken.None);
        await Eventually.Until(() => Task.FromResult(_api.Store.OpenWatches), n => n >= 1, Timeout, "the watch open");
        Assert.Null(await _store.ReadAsync("plant", "nothing-here", "token", CancellationToken.None));
        Assert.False(await _store.ExistsAsync("plant", "nothing-here", CancellationToken.None));
        Assert.Equal(2, Gets("nothing-here"));

        // Created a moment ago: read at once, whether or not the watch told of it yet.
        Seed("plant", "new-token", "token", "fresh");
        Assert.Equal("fresh", await _store.ReadAsync("plant", "new-token", "token", CancellationToken.None));
    }

    [Fact]
    public async Task ADroppedWatch_AndAnExpiredOne_Recover_AndChangesAfterwardsArePickedUp()
    {
        Seed("plant", "git-token", "token", "v1");
        await _watch.StartAsync(CancellationToken.None);
        await Eventually.Until(() => Task.FromResult(_store.KnownCount), n => n == 1, Timeout, "the Secret known to the watch");

        // The API server ends every watch stream (a restart, a load balancer's timeout): the watch resumes.
        await HeldAsync("v1");
        _api.DropWatches();
        await Patch("plant", "git-token", "token", "v2");
        await Eventually.Until(() => Task.FromResult(_store.Holds("plant", "git-token")), held => !held, Timeout, "the change after the dropped watch");
        await HeldAsync("v2");

        // Compacted history (410 Gone in the stream): the watch lists again, and the list shows the change.
        var lists = _api.Requests.Count(r => r.Resource == "secrets" && r.Verb == "list");
        _api.ExpireWatches();
        await Patch("plant", "git-token", "token", "v3");
        await Eventually.Until(() => Task.FromResult(_store.Holds("plant", "git-token")), held => !held, Timeout, "the change after the expired watch");
        Assert.True(_api.Requests.Count(r => r.Resource == "secrets" && r.Verb == "list") > lists, "a relist after 410 Gone");
        Assert.Equal("v3", await _store.ReadAsync("plant", "git-token", "token", CancellationToken.None));
    }

    [Fact]
    public async Task TheApiRefusing_IsAnErrorNamingTheSecret_NotAMissingSecret()
    {
        _api.InjectFailure(r => r.Resource == "secrets" && r.Verb == "get", 403);
        var error = await Assert.ThrowsAsync<SecretReadException>(() => _store.ReadAsync("plant", "git-token", "token", CancellationToken.None));
        Assert.Contains("plant/git-token", error.Message, StringComparison.Ordinal);
        Assert.Contains("403", error.Message, StringComparison.Ordinal);

        // Through the git credential source, as a GatewaySync reads it: a git credentials error naming it.
        var source = new GitCredentialSource(_store, new Stoker.Grains.Secrets.GitHubApp.GitHubAppTokens(_store, Microsoft.Extensions.Options.Options.Create(new Stoker.Grains.Secrets.GitHubApp.GitHubAppOptions()), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<Stoker.Grains.Secrets.GitHubApp.GitHubAppTokens>.Instance));
        _api.InjectFailure(r => r.Resource == "secrets" && r.Verb == "get", 503);
        var auth = new Grains.Interfaces.Resources.GitAuthSpec { Token = new Grains.Interfaces.Resources.TokenAuth { SecretRef = new Grains.Interfaces.Resources.SecretKeyRef { Name = "git-token", Key = "token" } } };
        var failed = await Assert.ThrowsAsync<GitCredentialsException>(() => source.GetAsync("plant", auth, CancellationToken.None));
        Assert.StartsWith("resolving git auth: reading secret plant/git-token", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASecretOverOneMebibyte_IsRefusedNamingIt()
    {
        var big = new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "huge", NamespaceProperty = "plant", ResourceVersion = "7" },
            Data = new Dictionary<string, byte[]> { ["a"] = new byte[CachedSecret.MaxBytes], ["b"] = [1] },
        };
        var cached = CachedSecret.From(new SecretName("plant", "huge"), big);
        Assert.True(cached.TooLarge);
        var error = Assert.Throws<SecretReadException>(() => cached.Read("a"));
        Assert.Equal("secret plant/huge holds 1048577 bytes of data, more than the 1048576 bytes (1 MiB) a Secret may hold; it is not read", error.Message);

        var limit = new V1Secret { Metadata = new V1ObjectMeta { Name = "full" }, Data = new Dictionary<string, byte[]> { ["a"] = new byte[CachedSecret.MaxBytes] } };
        Assert.False(CachedSecret.From(new SecretName("plant", "full"), limit).TooLarge);
    }

    private async Task HeldAsync(string expected)
    {
        // A read caches the values once the watch reports the version the GET returned.
        await Eventually.Until(
            async () => (Value: await _store.ReadAsync("plant", "git-token", "token", CancellationToken.None), Held: _store.Holds("plant", "git-token")),
            r => r.Value == expected && r.Held,
            Timeout,
            $"{expected} read and held");
    }

    private int Gets(string name) => _api.Requests.Count(r => r.Resource == "secrets" && r.Verb == "get" && r.Name == name);

    private void Seed(string ns, string name, string key, string value) => _api.Seed(new System.Text.Json.Nodes.JsonObject
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Secret",
        ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = name, ["namespace"] = ns },
        ["stringData"] = new System.Text.Json.Nodes.JsonObject { [key] = value },
    });

    private Task<V1Secret> Patch(string ns, string name, string key, string value) =>
        _client.CoreV1.PatchNamespacedSecretAsync(new V1Patch(new System.Text.Json.Nodes.JsonObject { ["stringData"] = new System.Text.Json.Nodes.JsonObject { [key] = value } }.ToJsonString(), V1Patch.PatchType.MergePatch), name, ns);
}
