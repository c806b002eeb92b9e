using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Stoker.Silo.Api;

/// <summary>Content negotiation of the apply API: bodies in YAML or JSON, answers in JSON unless YAML is asked for.</summary>
public static class ApiMediaTypes
{
    public const string Json = "application/json";
    public const string Yaml = "application/yaml";

    /// <summary>Body types the API reads. JSON is YAML, so one reader serves them all.</summary>
    public static IReadOnlyList<string> Readable { get; } = [Yaml, "application/x-yaml", "text/yaml", Json, "text/plain"];

    /// <summary>A body without a Content-Type is read too: it is YAML or JSON or it is refused by the parser.</summary>
    public static bool IsReadable(string? contentType) =>
        string.IsNullOrEmpty(contentType)
        || (MediaTypeHeaderValue.TryParse(contentType, out var parsed)
            && Readable.Any(r => string.Equals(r, parsed.MediaType.Value, StringComparison.OrdinalIgnoreCase)));

    /// <summary>YAML when the Accept header names a YAML type before (or without) JSON.</summary>
    public static bool WantsYaml(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted))
        {
            return false;
        }

        var best = accepted
            .Where(a => a.Quality is not 0)
            .OrderByDescending(a => a.Quality ?? 1)
            .Select(a => a.MediaType.Value)
            .FirstOrDefault(t => t is not null && (IsYaml(t) || string.Equals(t, Json, StringComparison.OrdinalIgnoreCase) || t == "*/*"));
        return best is not null && IsYaml(best);
    }

    private static bool IsYaml(string mediaType) =>
        mediaType.Equals(Yaml, StringComparison.OrdinalIgnoreCase)
        || mediaType.Equals("application/x-yaml", StringComparison.OrdinalIgnoreCase)
        || mediaType.Equals("text/yaml", StringComparison.OrdinalIgnoreCase);
}
