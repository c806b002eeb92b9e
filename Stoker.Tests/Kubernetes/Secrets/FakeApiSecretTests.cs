using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Stoker.Silo.Kubernetes.Secrets;
using Stoker.Tests.FakeKubeApi;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Kubernetes.Secrets;

/// <summary>The fake API server serves core Secrets as a real one does: base64 data, stringData folded on write, the 1 MiB limit, metadata-only reads.</summary>
public sealed class FakeApiSecretTests : IAsyncLifetime
{
    private readonly FakeKubeApiServer _api = new();
    private readonly TempDirectory _temp = new("fake-secrets");
    private IKubernetes _client = null!;

    public async Task InitializeAsync()
    {
        await _api.StartAsync();
        _client = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(_api.WriteKubeconfig(_temp.Combine("kubeconfig"))));
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _api.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task StringData_IsFoldedIntoBase64Data_OnCreateUpdateAndPatch()
    {
        var created = await _client.CoreV1.CreateNamespacedSecretAsync(
            new V1Secret { Metadata = new V1ObjectMeta { Name = "git-token" }, StringData = new Dictionary<string, string> { ["token"] = "one" }, Data = new Dictionary<string, byte[]> { ["other"] = "x"u8.ToArray() } },
            "plant");
        Assert.Null(created.StringData);
        Assert.Equal("one", Encoding.UTF8.GetString(created.Data["token"]));
        Assert.Equal("x", Encoding.UTF8.GetString(created.Data["other"]));

        // On the wire the value is base64, as a real API server stores it.
        var raw = _api.Store.Get(ResourceCatalog.Secrets, "plant", "git-token");
        Assert.Equal(Convert.ToBase64String("one"u8.ToArray()), raw["data"]!["token"]!.GetValue<string>());
        Assert.Null(raw["stringData"]);

        var patched = await _client.CoreV1.PatchNamespacedSecretAsync(new V1Patch("""{"stringData":{"token":"two"}}""", V1Patch.PatchType.MergePatch), "git-token", "plant");
        Assert.Equal("two", Encoding.UTF8.GetString(patched.Data["token"]));
        Assert.NotEqual(created.Metadata.ResourceVersion, patched.Metadata.ResourceVersion);

        patched.StringData = new Dictionary<string, string> { ["token"] = "three" };
        var replaced = await _client.CoreV1.ReplaceNamespacedSecretAsync(patched, "git-token", "plant");
        Assert.Equal("three", Encoding.UTF8.GetString(replaced.Data["token"]));
    }

    [Fact]
    public async Task BadData_TooMuchData_AndBadKeys_AreRefusedAsTheApiServerRefusesThem()
    {
        var notBase64 = await Assert.ThrowsAsync<HttpOperationException>(() => SendRaw("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"bad"},"data":{"k":"%%%"}}"""));
        Assert.Equal(HttpStatusCode.BadRequest, notBase64.Response.StatusCode);
        Assert.Contains("illegal base64 data", notBase64.Response.Content, StringComparison.Ordinal);

        var big = new string('a', SecretData.MaxBytes + 1);
        var tooBig = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.CreateNamespacedSecretAsync(
            new V1Secret { Metadata = new V1ObjectMeta { Name = "helm-release" }, StringData = new Dictionary<string, string> { ["release"] = big } }, "plant"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooBig.Response.StatusCode);
        Assert.Contains("Too long: must have at most 1048576 bytes", tooBig.Response.Content, StringComparison.Ordinal);

        var badKey = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.CreateNamespacedSecretAsync(
            new V1Secret { Metadata = new V1ObjectMeta { Name = "bad-key" }, StringData = new Dictionary<string, string> { ["a/b"] = "x" } }, "plant"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badKey.Response.StatusCode);
    }

    [Fact]
    public async Task MetadataOnly_ListAndWatch_CarryNoData()
    {
        await _client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "s1" }, StringData = new Dictionary<string, string> { ["token"] = "distinctive-value-1" } }, "plant");
        using var http = new HttpClient { BaseAddress = _api.Url };
        using var list = new HttpRequestMessage(HttpMethod.Get, "/api/v1/secrets");
        list.Headers.TryAddWithoutValidation("Accept", SecretMetadataWatch.MetadataOnlyList);
        using var listed = await http.SendAsync(list);
        var body = await listed.Content.ReadAsStringAsync();
        var node = JsonNode.Parse(body)!;
        Assert.Equal("PartialObjectMetadataList", node["kind"]!.GetValue<string>());
        Assert.Equal("s1", node["items"]![0]!["metadata"]!["name"]!.GetValue<string>());
        Assert.DoesNotContain("\"data\"", body, StringComparison.Ordinal);

        using var watch = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/namespaces/plant/secrets?watch=1&resourceVersion={node["metadata"]!["resourceVersion"]}");
        watch.Headers.TryAddWithoutValidation("Accept", SecretMetadataWatch.MetadataOnlyWatch);
        using var stream = await http.SendAsync(watch, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync());
        await _client.CoreV1.PatchNamespacedSecretAsync(new V1Patch("""{"stringData":{"token":"distinctive-value-2"}}""", V1Patch.PatchType.MergePatch), "s1", "plant");
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var line = await reader.ReadLineAsync(deadline.Token);
        Assert.NotNull(line);
        var modified = JsonNode.Parse(line)!;
        Assert.Equal("MODIFIED", modified["type"]!.GetValue<string>());
        Assert.Equal("PartialObjectMetadata", modified["object"]!["kind"]!.GetValue<string>());
        Assert.DoesNotContain("\"data\"", line, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String("distinctive-value-2"u8.ToArray()), line, StringComparison.Ordinal);
    }

    private async Task SendRaw(string json)
    {
        using var http = new HttpClient { BaseAddress = _api.Url };
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("/api/v1/namespaces/plant/secrets", content);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpOperationException("refused") { Response = new HttpResponseMessageWrapper(response, await response.Content.ReadAsStringAsync()) };
        }
    }
}
