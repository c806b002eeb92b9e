namespace Stoker.Grains.Git;

/// <param name="Commit">Lower-case 40-hex commit SHA (for an annotated tag, the commit it points to, never the tag object).</param>
/// <param name="Ref">The ref exactly as requested.</param>
public sealed record RefResolution(string Commit, string Ref);
