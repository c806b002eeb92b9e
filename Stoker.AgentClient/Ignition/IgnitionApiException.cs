namespace Stoker.AgentClient.Ignition;

/// <summary>A gateway query that did not give an answer; <see cref="StatusCode"/> is null for transport errors and timeouts.</summary>
public sealed class IgnitionApiException : Exception
{
    public IgnitionApiException()
    {
    }

    public IgnitionApiException(string message)
        : base(message)
    {
    }

    public IgnitionApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public IgnitionApiException(string message, int? statusCode, Exception? innerException = null)
        : base(message, innerException) => StatusCode = statusCode;

    public int? StatusCode { get; }
}
