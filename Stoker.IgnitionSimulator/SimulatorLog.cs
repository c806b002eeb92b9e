using Microsoft.Extensions.Logging;

namespace Stoker.IgnitionSimulator;

internal static partial class SimulatorLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Method} {Path} -> {Status} (token {TokenState})")]
    public static partial void Answered(ILogger logger, string method, string path, string status, string tokenState);
}
