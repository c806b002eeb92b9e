namespace Stoker.Silo.Authentication;

/// <summary>A tokens file the silo cannot take; the message names the file, the line and the rule.</summary>
public sealed class ApiTokensFileException : Exception
{
    public ApiTokensFileException()
    {
    }

    public ApiTokensFileException(string message)
        : base(message)
    {
    }

    public ApiTokensFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
