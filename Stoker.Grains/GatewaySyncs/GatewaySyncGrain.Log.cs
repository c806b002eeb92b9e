using Microsoft.Extensions.Logging;

namespace Stoker.Grains.GatewaySyncs;

public sealed partial class GatewaySyncGrain
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Reconciling {Key} ({Reason})")]
    private static partial void LogReconcile(ILogger logger, string key, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Key}: ref {Ref} resolved to {Commit}")]
    private static partial void LogResolved(ILogger logger, string key, string @ref, string commit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Key}: {Operation} failed ({Failures} in a row), retry in {Retry}: {Error}")]
    private static partial void LogFailure(ILogger logger, string key, string operation, int failures, string retry, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Key}: publishing release {Version} at {Commit} to {Count} gateway(s)")]
    private static partial void LogFanOut(ILogger logger, string key, int count, long version, string commit);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Key}: deleted; stopping {Count} gateway(s)")]
    private static partial void LogDeleted(ILogger logger, string key, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Key}: secret {Secret} changed; reconciling now")]
    private static partial void LogSecretChanged(ILogger logger, string key, string secret);
}
