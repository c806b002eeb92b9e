namespace Stoker.Grains.Git;

/// <param name="Commit">Lower-case 40-hex commit SHA (for an annotated tag, the commit it points to, never the tag object).</param>
/// <param name="Ref">The ref exactly as requested.</param>
public sealed record RefResolution(string Commit, string Ref)
{
    /// <summary>Each of the request's <see cref="RefResolveRequest.OtherRefs"/> → its commit, or null when the remote has no such ref.</summary>
    public IReadOnlyDictionary<string, string?> Others { get; init; } = NoOthers;

    /// <summary>Shared, so resolutions without other refs stay equal as records.</summary>
    private static readonly IReadOnlyDictionary<string, string?> NoOthers = new Dictionary<string, string?>(StringComparer.Ordinal);
}
