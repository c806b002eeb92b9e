namespace Stoker.AgentClient.Runtime;

/// <summary>The identity token could not be read; the message names <c>AGENT_TOKEN_FILE</c>, the path and the reason.</summary>
public sealed class AgentTokenException : Exception
{
    public AgentTokenException()
    {
    }

    public AgentTokenException(string message)
        : base(message)
    {
    }

    public AgentTokenException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
