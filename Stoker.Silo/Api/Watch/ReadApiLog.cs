using Microsoft.Extensions.Logging;

namespace Stoker.Silo.Api.Watch;

internal static partial class ReadApiLog
{
    [LoggerMessage(EventId = 6300, Level = LogLevel.Warning, Message = "Watch refused: {Limit} watches are already open (Stoker:Watch:MaxConcurrentWatches)")]
    public static partial void TooManyWatches(ILogger logger, int limit);

    [LoggerMessage(EventId = 6301, Level = LogLevel.Information, Message = "Watch of {Scope} ended because the control plane did not answer; the client re-lists")]
    public static partial void WatchEndedUnavailable(ILogger logger, string scope, Exception exception);
}
