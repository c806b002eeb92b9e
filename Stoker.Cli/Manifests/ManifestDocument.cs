using System.Text.Json.Nodes;

namespace Stoker.Cli.Manifests;

/// <summary>One resource read from a file: where it came from (for messages) and its JSON tree.</summary>
public sealed record ManifestDocument(string Source, int Document, JsonNode Node)
{
    public string Where => $"{Source}, document {Document}";
}
