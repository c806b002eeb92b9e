namespace Stoker.Grains.Git;

/// <summary>A ref could not be resolved; the message is meant for the user and never contains credentials.</summary>
public sealed class RefResolutionException : Exception
{
    public RefResolutionException()
        : base("ref resolution failed")
    {
    }

    public RefResolutionException(string message)
        : base(message)
    {
    }

    public RefResolutionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
