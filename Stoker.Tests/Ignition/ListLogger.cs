using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Stoker.Tests.Ignition;

/// <summary>Keeps every log entry (level, event id, message and state values) for assertions.</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    public ConcurrentQueue<LogEntry> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        var values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
        Entries.Enqueue(new LogEntry(logLevel, eventId.Id, formatter(state, exception), values.ToDictionary(p => p.Key, p => p.Value)));
    }
}
