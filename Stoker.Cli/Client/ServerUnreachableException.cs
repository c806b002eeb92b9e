namespace Stoker.Cli.Client;

/// <summary>The server could not be reached or did not answer in time.</summary>
public sealed class ServerUnreachableException : Exception
{
    public ServerUnreachableException()
    {
    }

    public ServerUnreachableException(string message)
        : base(message)
    {
    }

    public ServerUnreachableException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
