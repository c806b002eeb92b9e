namespace Stoker.Silo.Api.OpenApi;

/// <summary>One path of a group-version's document, with its path parameters and the kind its operations act on.</summary>
public sealed record OpenApiPath(
    string Path,
    bool HasNamespace,
    bool HasName,
    string Group,
    string Version,
    string Kind,
    IReadOnlyList<OpenApiOperation> Operations);
