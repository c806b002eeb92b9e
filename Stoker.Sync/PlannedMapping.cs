using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Sync;

/// <summary>
/// A mapping with its paths rendered, validated and cleaned, and its type inferred from the commit.
/// <see cref="RenderKey"/> is empty for mappings that copy bytes unchanged; otherwise it identifies everything
/// besides the source bytes that shapes the output (template flag, patches, template data), so a file whose
/// blob and render key are unchanged needs no re-rendering.
/// </summary>
internal sealed record PlannedMapping(
    int Index,
    string Source,
    string Destination,
    string Type,
    bool Template,
    IReadOnlyList<JsonPatchSpec> Patches,
    string RenderKey,
    bool Skipped)
{
    public bool IsFile => Type == MappingType.File;

    public bool TransformsContent => Template || Patches.Count > 0;

    /// <summary>The repository path that would produce <paramref name="target"/> through this mapping, or null.</summary>
    public string? SourceFor(string target)
    {
        if (Skipped)
        {
            return null;
        }

        if (IsFile)
        {
            return target == Destination ? Source : null;
        }

        var relative = SyncPaths.RelativeTo(Destination, target);
        return relative is null ? null : SyncPaths.Join(Source, relative);
    }
}
