namespace Stoker.Sync;

/// <summary>A file the last sync wrote that was changed or removed behind Stoker's back (found by the verification pass).</summary>
public sealed record DriftedFile(string Path, string Change)
{
    public const string Changed = "changed";
    public const string Removed = "removed";
}
