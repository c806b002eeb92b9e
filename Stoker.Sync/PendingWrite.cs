namespace Stoker.Sync;

/// <summary>A file to replace: its rendered content when it was transformed (plain files are read from the commit at write time).</summary>
internal sealed record PendingWrite(DesiredFile File, byte[]? Content, bool Existed, ManifestFile Entry);
