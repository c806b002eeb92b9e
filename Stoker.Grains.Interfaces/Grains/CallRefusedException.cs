namespace Stoker.Grains.Interfaces.Grains;

/// <summary>
/// The control plane refused a call: a client called something only the control plane may call, or an agent call
/// did not present the gateway's live session (docs/architecture.md, "Who may call the control plane").
/// </summary>
[GenerateSerializer]
public sealed class CallRefusedException : Exception
{
    public CallRefusedException()
    {
    }

    public CallRefusedException(string message)
        : base(message)
    {
    }

    public CallRefusedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
