namespace Stoker.AgentClient.Runtime;

/// <summary>
/// No usable credentials for a fetch: the control plane could not derive them (its error), did not answer, or answered
/// for another repository. The message never holds the secret; the report shows it as <c>git credentials: …</c>.
/// </summary>
public sealed class GitCredentialsUnavailableException : Exception
{
    public GitCredentialsUnavailableException()
    {
    }

    public GitCredentialsUnavailableException(string message)
        : base(message)
    {
    }

    public GitCredentialsUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
