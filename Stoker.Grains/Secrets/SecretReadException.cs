namespace Stoker.Grains.Secrets;

/// <summary>
/// A Secret could not be read (the API server failed or refused, or the Secret is too large): not the same as a missing
/// Secret, which reads as null. The message names the Secret and the cause, never a value.
/// </summary>
public sealed class SecretReadException : Exception
{
    public SecretReadException(string message)
        : base(message)
    {
    }

    public SecretReadException()
    {
    }

    public SecretReadException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
