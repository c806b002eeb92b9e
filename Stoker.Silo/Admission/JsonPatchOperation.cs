using System.Text.Json.Nodes;

namespace Stoker.Silo.Admission;

/// <summary>One RFC 6902 operation; <see cref="Path"/> is a JSON Pointer (<c>~1</c> for <c>/</c>, <c>~0</c> for <c>~</c>).</summary>
public sealed record JsonPatchOperation(string Op, string Path, JsonNode? Value)
{
    public const string Add = "add";

    /// <summary>Escapes one reference token of a JSON Pointer.</summary>
    public static string Escape(string token) => token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
