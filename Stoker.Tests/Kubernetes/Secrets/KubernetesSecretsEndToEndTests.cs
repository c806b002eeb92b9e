using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Stoker.Grains.Secrets;
using Stoker.Silo.Kubernetes.Secrets;
using Stoker.Tests.Infrastructure;
using Stoker.Tests.Kubernetes.Mode;

namespace Stoker.Tests.Kubernetes.Secrets;

/// <summary>
/// A real silo in Kubernetes mode resolves a private repository (smart HTTP requiring basic auth) with a token whose
/// Secret exists only in the (fake) API server; a change of the Secret through the API is used by the next resolution,
/// a missing or deleted Secret fails naming it.
/// </summary>
public sealed class KubernetesSecretsEndToEndTests : IAsyncLifetime
{
    private const string RightToken = "k8s-secret-token-right-4711";
    private const string WrongToken = "k8s-secret-token-wrong-0815";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private KubernetesModeBed _bed = null!;
    private SmartHttpGitServer _git = null!;
    private GitRepository _repo = null!;

    public async Task InitializeAsync()
    {
        _bed = await KubernetesModeBed.StartAsync();
        _repo = GitRepository.Create(_bed.Temp.Combine("repos/site"));
        _repo.WriteFile("projects/site/resource.json", "{}");
        _repo.Commit("first");
        _git = await SmartHttpGitServer.StartAsync(_bed.Temp.Combine("repos"), ("x-access-token", RightToken));
    }

    public async Task DisposeAsync()
    {
        await _git.DisposeAsync();
        _repo.Dispose();
        await _bed.DisposeAsync();
    }

    [Fact]
    public async Task ATokenSecretOnlyInTheApi_ResolvesTheRef_AndItsChangesDeletionAndReturnAreFollowed()
    {
        _bed.SeedSecret("plant", "git-token", new Dictionary<string, string> { ["token"] = RightToken + "\n" });
        var silo = await _bed.StartSiloAsync();
        await CreateAsync("private");
        await UntilCondition("private", "RefResolved", c => Text(c, "status") == "True", "the ref resolved with the token from the API");
        await Eventually.Until(() => _bed.GetAsync("plant", "private"), r => Text(r, "status", "lastSyncCommit") == _repo.Head(), Timeout, "the commit on the status");
        var store = silo.Services.GetRequiredService<KubernetesSecretStore>();
        Assert.Same(store, silo.Services.GetRequiredService<ISecretStore>());

        // A wrong token through the API (PATCH): the watch sees the change and the GatewaySync naming the Secret
        // reconciles at once (no poll, no edit of the resource), failing with an authentication message.
        await PatchToken(WrongToken);
        var refused = await UntilCondition("private", "RefResolved", c => Text(c, "status") == "False", "the wrong token refused");
        Assert.DoesNotContain(WrongToken, refused.ToJsonString(), StringComparison.Ordinal);

        // Back to the right one (PUT): resolved again, no restart.
        var secret = await _bed.Client.CoreV1.ReadNamespacedSecretAsync("git-token", "plant");
        secret.Data = new Dictionary<string, byte[]> { ["token"] = System.Text.Encoding.UTF8.GetBytes(RightToken) };
        await _bed.Client.CoreV1.ReplaceNamespacedSecretAsync(secret, "git-token", "plant");
        await UntilCondition("private", "RefResolved", c => Text(c, "status") == "True", "the right token again");

        // Deleted: the Secret is missing, and the status says which.
        await _bed.Client.CoreV1.DeleteNamespacedSecretAsync("git-token", "plant");
        await UntilCondition("private", "Ready", c => Text(c, "message")?.Contains("token secret \"git-token\" not found in namespace \"plant\"", StringComparison.Ordinal) == true, "the deleted Secret reported missing");

        Assert.Contains(silo.Logs.Lines, l => l.Contains("plant/private: secret git-token changed; reconciling now", StringComparison.Ordinal));
        Assert.DoesNotContain(silo.Logs.Lines, l => l.Contains(RightToken, StringComparison.Ordinal) || l.Contains(WrongToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AMissingSecret_FailsNamingIt_AndCreatingItThroughTheApiResolves()
    {
        await _bed.StartSiloAsync();
        await CreateAsync("missing");
        await UntilCondition("missing", "Ready", c => Text(c, "message")?.Contains("token secret \"git-token\" not found in namespace \"plant\"", StringComparison.Ordinal) == true, "the missing Secret named");

        _bed.SeedSecret("plant", "git-token", new Dictionary<string, string> { ["token"] = RightToken });
        await _bed.SetAnnotationAsync("plant", "missing", "example.com/poke", "1");
        await UntilCondition("missing", "RefResolved", c => Text(c, "status") == "True", "resolved once the Secret exists");
    }

    [Fact]
    public async Task AnAgentsCredentials_FollowTheSecretInTheApi_WithoutARestart()
    {
        _bed.SeedSecret("plant", "git-token", new Dictionary<string, string> { ["token"] = RightToken });
        var silo = await _bed.StartSiloAsync();
        await CreateAsync("fleet");
        await UntilCondition("fleet", "RefResolved", c => Text(c, "status") == "True", "the ref resolved");
        var agent = new ControlPlane.FakeAgent(silo.Client, "plant", "fleet", "gw-1", "default");
        Assert.NotNull(await agent.RegisterAsync());
        var first = await agent.Grain.GetGitCredentials(agent.SessionToken);
        Assert.Null(first.Error);
        Assert.Equal(RightToken, first.Password);

        // Rotated through the API while the agent runs: its next request gets the new token.
        await PatchToken(WrongToken);
        var rotated = await Eventually.Until(() => agent.Grain.GetGitCredentials(agent.SessionToken), c => c.Password == WrongToken, Timeout, "the rotated token");
        Assert.NotEqual(first.Fingerprint, rotated.Fingerprint);

        // Deleted: no credentials, and an error naming the Secret.
        await _bed.Client.CoreV1.DeleteNamespacedSecretAsync("git-token", "plant");
        var gone = await Eventually.Until(() => agent.Grain.GetGitCredentials(agent.SessionToken), c => c.Error is not null, Timeout, "the deleted Secret");
        Assert.Null(gone.Password);
        Assert.Contains("plant/git-token", gone.Error, StringComparison.Ordinal);
        agent.Forget();
    }

    private async Task CreateAsync(string name)
    {
        var resource = KubernetesModeBed.Resource("plant", name, _git.UrlFor("site"));
        resource["spec"]!["git"]!["auth"] = JsonNode.Parse("""{"token":{"secretRef":{"name":"git-token","key":"token"}}}""");
        await _bed.Client.CustomObjects.CreateNamespacedCustomObjectAsync(resource, "stoker.io", "v1alpha1", "plant", "gatewaysyncs");
    }

    private Task<V1Secret> PatchToken(string token) =>
        _bed.Client.CoreV1.PatchNamespacedSecretAsync(
            new V1Patch(new JsonObject { ["stringData"] = new JsonObject { ["token"] = token } }.ToJsonString(), V1Patch.PatchType.MergePatch), "git-token", "plant");

    private async Task<JsonObject> UntilCondition(string name, string type, Func<JsonObject, bool> done, string what)
    {
        var resource = await Eventually.Until(() => _bed.GetAsync("plant", name), r => KubernetesModeBed.Condition(r, type) is { } c && done(c), Timeout,
            what);
        return KubernetesModeBed.Condition(resource, type)!;
    }

    private static string? Text(JsonNode? node, params string[] path)
    {
        foreach (var step in path)
        {
            node = node?[step];
        }

        return KubernetesModeBed.Text(node);
    }
}
