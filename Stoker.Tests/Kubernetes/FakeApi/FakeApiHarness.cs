using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using Stoker.Tests.FakeKubeApi;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Kubernetes.FakeApi;

/// <summary>A started fake API server, a kubeconfig for it and a real KubernetesClient built from that kubeconfig.</summary>
public sealed class FakeApiHarness : IAsyncDisposable
{
    public const string CrGroup = "stoker.io";
    public const string CrVersion = "v1alpha1";
    public const string CrPlural = "gatewaysyncs";

    private readonly TempDirectory folder = new("fake-kube");

    private FakeApiHarness(FakeKubeApiServer server)
    {
        Server = server;
        KubeconfigPath = server.WriteKubeconfig(folder.Combine("kubeconfig"));
        Client = NewClient();
    }

    public FakeKubeApiServer Server { get; }

    public string KubeconfigPath { get; }

    public IKubernetes Client { get; }

    public static async Task<FakeApiHarness> StartAsync(FakeKubeApiOptions? options = null)
    {
        var server = new FakeKubeApiServer(options);
        await server.StartAsync();
        return new FakeApiHarness(server);
    }

    /// <summary>Another client, as a second process would have.</summary>
    public IKubernetes NewClient() =>
        new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath));

    public static JsonObject GatewaySync(string name, string ns = "default", string repo = "https://example.invalid/repo.git", IDictionary<string, string>? labels = null)
    {
        var metadata = new JsonObject { ["name"] = name, ["namespace"] = ns };
        if (labels is not null)
        {
            metadata["labels"] = new JsonObject(labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value)));
        }

        return new JsonObject
        {
            ["apiVersion"] = "stoker.io/v1alpha1",
            ["kind"] = "GatewaySync",
            ["metadata"] = metadata,
            ["spec"] = new JsonObject { ["git"] = new JsonObject { ["repo"] = repo, ["ref"] = "main" } },
        };
    }

    /// <summary>What the client returned for a custom object (a JsonElement) as a mutable tree.</summary>
    public static JsonObject Json(object response) => response switch
    {
        JsonElement element => JsonNode.Parse(element.GetRawText())!.AsObject(),
        JsonObject obj => obj,
        _ => JsonNode.Parse(JsonSerializer.Serialize(response))!.AsObject(),
    };

    public static string ResourceVersionOf(JsonObject obj) => obj["metadata"]!["resourceVersion"]!.GetValue<string>();

    public static long GenerationOf(JsonObject obj) => obj["metadata"]!["generation"]!.GetValue<long>();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        folder.Dispose();
    }
}
