using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stoker.Cli.Client;

/// <summary>One answer of the apply API: the status code and the body as a JSON tree (null when there was none).</summary>
public sealed record ApiAnswer(int StatusCode, string ReasonPhrase, string Method, string Path, JsonNode? Body)
{
    public bool IsSuccess => StatusCode is >= 200 and < 300;

    /// <summary>For a 401 or 403: where the token came from and what to do (see <see cref="ApiCredentials.Hint"/>).</summary>
    public string? AuthHint { get; init; }

    /// <summary>The body when it is a Kubernetes <c>Status</c> object.</summary>
    public JsonObject? Status =>
        Body is JsonObject o && o["kind"] is JsonValue k && k.GetValueKind() == JsonValueKind.String && k.GetValue<string>() == "Status" ? o : null;
}
