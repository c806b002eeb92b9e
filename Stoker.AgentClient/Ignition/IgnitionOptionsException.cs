namespace Stoker.AgentClient.Ignition;

/// <summary>Invalid Ignition client settings; <see cref="Errors"/> names each setting, its value and the rule.</summary>
public sealed class IgnitionOptionsException : Exception
{
    public IgnitionOptionsException()
        : this([])
    {
    }

    public IgnitionOptionsException(string message)
        : this([message])
    {
    }

    public IgnitionOptionsException(string message, Exception innerException)
        : base(message, innerException) => Errors = [message];

    public IgnitionOptionsException(IReadOnlyList<string> errors)
        : base(string.Join(Environment.NewLine, errors)) => Errors = errors;

    public IReadOnlyList<string> Errors { get; } = [];
}
