using Microsoft.Extensions.Logging;

namespace Stoker.Silo.Api.Secrets;

/// <summary>Secret logs name the Secret and count its keys; values never appear.</summary>
internal static partial class SecretsLog
{
    [LoggerMessage(EventId = 6110, Level = LogLevel.Information, Message = "Secret {Namespace}/{Name} {Action} through the API ({KeyCount} keys)")]
    public static partial void Written(ILogger logger, string @namespace, string name, string action, int keyCount);

    [LoggerMessage(EventId = 6111, Level = LogLevel.Information, Message = "Secret {Namespace}/{Name} deleted through the API")]
    public static partial void Deleted(ILogger logger, string @namespace, string name);

    [LoggerMessage(EventId = 6112, Level = LogLevel.Warning, Message = "Secret {Namespace}/{Name} in the secrets folder cannot be read: {Reason}")]
    public static partial void Unreadable(ILogger logger, string @namespace, string name, string reason);
}
