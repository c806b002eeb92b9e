namespace Stoker.Grains.Interfaces.Messages;

/// <summary>Values of a sync report's status (the original's <c>syncStatus</c>).</summary>
public static class SyncStatus
{
    public const string Pending = "Pending";
    public const string Synced = "Synced";
    public const string Error = "Error";
}
