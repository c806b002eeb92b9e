namespace Stoker.Sync.Git;

/// <summary>Fetching or resolving failed; the message is redacted (no token, no URL credentials).</summary>
public sealed class GitCheckoutException : Exception
{
    public GitCheckoutException(string message)
        : base(message)
    {
    }

    public GitCheckoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public GitCheckoutException()
    {
    }
}
