using Microsoft.Extensions.Logging;

namespace Stoker.Tests.Ignition;

internal sealed record LogEntry(LogLevel Level, int EventId, string Message, IReadOnlyDictionary<string, object?> Values);
