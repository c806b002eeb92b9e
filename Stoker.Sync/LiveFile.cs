namespace Stoker.Sync;

/// <summary>A regular file in the data directory as the scan saw it (without reading it).</summary>
internal readonly record struct LiveFile(long Size, long ModifiedTicks);
