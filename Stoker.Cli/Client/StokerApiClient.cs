using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Cli.Client;

/// <summary>The few calls the CLI makes to the apply API. Bodies go as JSON; answers are read as JSON.</summary>
public sealed class StokerApiClient(HttpClient http, Uri server, ApiCredentials? credentials = null)
{
    private const string GroupVersion = "/apis/" + GatewaySync.Group + "/" + GatewaySync.Version;

    public Uri Server { get; } = server;

    public ApiCredentials? Credentials { get; } = credentials;

    public static string CollectionPath(string? ns) =>
        ns is null ? $"{GroupVersion}/{GatewaySync.Plural}" : $"{GroupVersion}/namespaces/{Uri.EscapeDataString(ns)}/{GatewaySync.Plural}";

    public static string ItemPath(string ns, string name) => $"{CollectionPath(ns)}/{Uri.EscapeDataString(name)}";

    /// <summary>The core/v1 Secrets collection of a namespace, as on a Kubernetes API server.</summary>
    public static string SecretCollectionPath(string ns) => $"/api/v1/namespaces/{Uri.EscapeDataString(ns)}/secrets";

    public static string SecretItemPath(string ns, string name) => $"{SecretCollectionPath(ns)}/{Uri.EscapeDataString(name)}";

    public Task<ApiAnswer> GetAsync(string path, CancellationToken cancellationToken) => SendAsync(HttpMethod.Get, path, null, cancellationToken);

    public Task<ApiAnswer> PutAsync(string path, JsonNode body, CancellationToken cancellationToken) => SendAsync(HttpMethod.Put, path, body, cancellationToken);

    public Task<ApiAnswer> PostAsync(string path, JsonNode body, CancellationToken cancellationToken) => SendAsync(HttpMethod.Post, path, body, cancellationToken);

    public Task<ApiAnswer> DeleteAsync(string path, CancellationToken cancellationToken) => SendAsync(HttpMethod.Delete, path, null, cancellationToken);

    private async Task<ApiAnswer> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken)
    {
        // The server URL may carry a path prefix (behind a reverse proxy): append to it rather than replace it.
        var uri = new Uri(Server.AbsoluteUri.TrimEnd('/') + path);
        using var request = new HttpRequestMessage(method, uri);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (Credentials?.Token is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new ServerUnreachableException($"cannot reach the Stoker server at {Server}: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ServerUnreachableException($"the Stoker server at {Server} did not answer within {http.Timeout.TotalSeconds:0} s", e);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            JsonNode? node = null;
            if (!string.IsNullOrWhiteSpace(text))
            {
                try
                {
                    node = JsonNode.Parse(text);
                }
                catch (JsonException)
                {
                    // Not ours (a proxy's HTML error page, say): the status line alone is reported.
                }
            }

            var code = (int)response.StatusCode;
            return new ApiAnswer(code, response.ReasonPhrase ?? "", method.Method, path, node)
            {
                AuthHint = code is 401 or 403 ? Credentials?.Hint(code) : null,
            };
        }
    }
}
