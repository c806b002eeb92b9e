using Microsoft.Extensions.Logging;

namespace Stoker.Silo.Api;

internal static partial class ApplyApiLog
{
    [LoggerMessage(EventId = 6100, Level = LogLevel.Information, Message = "GatewaySync {Key} {Action} through the apply API (generation {Generation})")]
    public static partial void Applied(ILogger logger, string key, string action, long? generation);

    [LoggerMessage(EventId = 6101, Level = LogLevel.Information, Message = "GatewaySync {Key} deleted through the apply API")]
    public static partial void Deleted(ILogger logger, string key);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Warning, Message = "Apply API: {Method} {Path} failed because the control plane did not answer")]
    public static partial void Unavailable(ILogger logger, string method, string path, Exception exception);
}
