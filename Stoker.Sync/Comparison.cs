namespace Stoker.Sync;

/// <summary>The result of comparing the desired tree with the live one, before anything is written.</summary>
internal sealed class Comparison
{
    public List<PendingWrite> Writes { get; } = [];
    public List<DriftedFile> Drift { get; } = [];

    /// <summary>The next manifest's entries: every desired file, with the live stat once it is known to be right.</summary>
    public SortedDictionary<string, ManifestFile> Manifest { get; } = new(StringComparer.Ordinal);

    public int Compared { get; set; }

    public int Hashed { get; set; }
    public int Rendered { get; set; }
}
