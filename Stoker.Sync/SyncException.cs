namespace Stoker.Sync;

/// <summary>A sync that cannot be carried out; the message is meant for the user (it names the mapping, path and rule).</summary>
public sealed class SyncException : Exception
{
    public SyncException(string message)
        : base(message)
    {
    }

    public SyncException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SyncException()
    {
    }
}
