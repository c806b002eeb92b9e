namespace Stoker.Grains.Secrets;

/// <summary>The credentials a resource names cannot be read; the message says which Secret and key.</summary>
public sealed class GitCredentialsException : Exception
{
    public GitCredentialsException(string message)
        : base(message)
    {
    }

    public GitCredentialsException()
    {
    }

    public GitCredentialsException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
