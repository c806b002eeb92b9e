namespace Stoker.Silo.Api.Patching;

/// <summary>The PATCH body types of the Kubernetes API (docs/kubectl-writes.md).</summary>
public static class PatchMediaTypes
{
    public const string JsonPatch = "application/json-patch+json";
    public const string MergePatch = "application/merge-patch+json";
    public const string StrategicMergePatch = "application/strategic-merge-patch+json";
    public const string ApplyPatch = "application/apply-patch+yaml";

    /// <summary>What a custom resource accepts: the API server refuses strategic merge for CRs, and so do we.</summary>
    public static IReadOnlyList<string> CustomResource { get; } = [JsonPatch, MergePatch, ApplyPatch];

    /// <summary>What a Secret accepts (a built-in type: strategic merge too).</summary>
    public static IReadOnlyList<string> BuiltIn { get; } = [JsonPatch, MergePatch, StrategicMergePatch, ApplyPatch];

    /// <summary>The media type without parameters, lower case; null when absent or unreadable.</summary>
    public static string? Of(string? contentType) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var parsed) && parsed.MediaType.Value is { } value
            ? value.ToLowerInvariant()
            : null;
}
