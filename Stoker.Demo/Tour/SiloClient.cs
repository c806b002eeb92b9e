using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Stoker.Demo.Plan;

namespace Stoker.Demo.Tour;

/// <summary>
/// The demo's view of the silo over HTTP: health, the GatewaySync's status (with the bearer token from
/// <paramref name="tokenFile"/>, read when needed: the silo writes it at its first start), and a signed GitHub push.
/// </summary>
public sealed class SiloClient(HttpClient http, string baseUrl, string tokenFile)
{
    public string BaseUrl { get; } = baseUrl.TrimEnd('/');

    public string ResourcePath => $"/apis/stoker.io/v1alpha1/namespaces/{DemoNames.Namespace}/gatewaysyncs/{DemoNames.GatewaySyncName}";

    public string WebhookPath => $"/webhook/{DemoNames.Namespace}/{DemoNames.GatewaySyncName}";

    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        using var quick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        quick.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            using var response = await http.GetAsync(new Uri(BaseUrl + "/healthz"), quick.Token);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>The GatewaySync as the apply API shows it, or null before it exists.</summary>
    public async Task<JsonNode?> GetGatewaySyncAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(BaseUrl + ResourcePath));
        if (File.Exists(tokenFile) && (await File.ReadAllTextAsync(tokenFile, cancellationToken)).Trim() is { Length: > 0 } token)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>
    /// Sends what GitHub sends for a push to <c>refs/heads/main</c>: <c>X-GitHub-Event: push</c> and the body's
    /// HMAC-SHA256 in <c>X-Hub-Signature-256</c>.
    /// </summary>
    public async Task<(HttpStatusCode Status, string Body)> SendPushAsync(string before, string after, string repositoryUrl, string secret, CancellationToken cancellationToken)
    {
        var payload = new JsonObject
        {
            ["ref"] = "refs/heads/" + DemoNames.Branch,
            ["before"] = before,
            ["after"] = after,
            ["created"] = false,
            ["deleted"] = false,
            ["forced"] = false,
            ["repository"] = new JsonObject { ["name"] = "stoker-demo", ["full_name"] = "demo/stoker-demo", ["clone_url"] = repositoryUrl },
            ["head_commit"] = new JsonObject { ["id"] = after, ["message"] = "Release 2 of the shared system properties" },
            ["pusher"] = new JsonObject { ["name"] = "stoker-demo" },
        }.ToJsonString();
        var body = Encoding.UTF8.GetBytes(payload);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(BaseUrl + WebhookPath))
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-GitHub-Event", "push");
        request.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        request.Headers.Add("X-Hub-Signature-256", Sign(body, secret));
        using var response = await http.SendAsync(request, cancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>GitHub's signature: <c>sha256=</c> and the lower-case hex HMAC-SHA256 of the body.</summary>
    public static string Sign(ReadOnlySpan<byte> body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
}
