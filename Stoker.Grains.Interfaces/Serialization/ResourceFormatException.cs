namespace Stoker.Grains.Interfaces.Serialization;

/// <summary>The text is not well-formed YAML or JSON; carries the line and column where reading stopped.</summary>
public sealed class ResourceFormatException : Exception
{
    public ResourceFormatException(string message, long line, long column, Exception? inner = null)
        : base($"line {line}, column {column}: {message}", inner)
    {
        Line = line;
        Column = column;
    }

    public ResourceFormatException(string message)
        : base(message)
    {
    }

    public ResourceFormatException()
    {
    }

    public ResourceFormatException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public long Line { get; }

    public long Column { get; }
}
