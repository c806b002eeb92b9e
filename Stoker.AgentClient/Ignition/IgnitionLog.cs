using Microsoft.Extensions.Logging;

namespace Stoker.AgentClient.Ignition;

/// <summary>The Ignition client's log lines. None carries the API key.</summary>
internal static partial class IgnitionLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Gateway scan answered projects={ProjectsStatus} config={ConfigStatus}")]
    public static partial void Scanned(ILogger logger, int projectsStatus, int configStatus);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Gateway scan attempt {Attempt} failed ({Reason}); retrying in {Delay}")]
    public static partial void ScanRetrying(ILogger logger, int attempt, TimeSpan delay, string reason);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Error, Message = "Gateway {Scan} failed: {Error}")]
    public static partial void ScanFailed(ILogger logger, string scan, string error);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Information, Message = "Designer sessions could not be listed ({Error}); proceeding (policy {Policy})")]
    public static partial void DesignerQueryFailed(ILogger logger, string error, string policy);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Information, Message = "{Count} designer session(s) open ({Sessions}); policy {Policy}")]
    public static partial void DesignerSessionsOpen(ILogger logger, int count, string sessions, string policy);

    [LoggerMessage(EventId = 5012, Level = LogLevel.Information, Message = "Designer sessions closed after {Waited}; proceeding")]
    public static partial void DesignerSessionsClosed(ILogger logger, TimeSpan waited);

    [LoggerMessage(EventId = 5013, Level = LogLevel.Warning, Message = "Designer sessions still open after {MaxWait} ({Sessions}); sync blocked")]
    public static partial void DesignerWaitTimedOut(ILogger logger, string maxWait, string sessions);

    [LoggerMessage(EventId = 5014, Level = LogLevel.Warning, Message = "Unknown designer session policy \"{Policy}\"; proceeding")]
    public static partial void UnknownDesignerPolicy(ILogger logger, string policy);
}
