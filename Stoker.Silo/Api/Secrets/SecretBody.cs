using System.Text.Json;
using System.Text.Json.Nodes;
using Stoker.Grains.Interfaces.Serialization;

namespace Stoker.Silo.Api.Secrets;

/// <summary>
/// Reads a Secret request body. JSON (what kubectl sends) is read by System.Text.Json, bounded by the body limit and
/// the shared depth bound, so one value may be as large as a Secret may be (1 MiB); YAML goes through the shared
/// reader, whose 256 KiB bound per string applies (docs/kubectl-writes.md).
/// </summary>
public static class SecretBody
{
    /// <summary>The one document of the body; throws <see cref="ResourceFormatException"/> for anything else.</summary>
    public static JsonNode Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.AsSpan().TrimStart();
        if (trimmed.Length > 0 && trimmed[0] is '{' or '[')
        {
            try
            {
                return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = ResourceLimits.MaxDepth })
                    ?? throw new ResourceFormatException("the body is null");
            }
            catch (JsonException e)
            {
                throw new ResourceFormatException(e.Message);
            }
        }

        var documents = YamlJson.ReadAll(text);
        return documents.Count == 1 ? documents[0] : throw new ResourceFormatException($"expected one document, found {documents.Count}");
    }
}
