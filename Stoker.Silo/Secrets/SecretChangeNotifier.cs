using Microsoft.Extensions.Logging;
using Stoker.Grains.Interfaces.Grains;

namespace Stoker.Silo.Secrets;

/// <summary>
/// Tells the GatewaySyncs of a namespace that one of its Secrets was created, changed or deleted, so the ones naming
/// it reconcile at once: a resource waiting out a five-minute backoff because its token Secret was missing or wrong is
/// fixed the moment the Secret is (docs/private-repositories.md). Sources: the Kubernetes Secret watch, and the local
/// Secrets API's writes. Which resources there are comes from <paramref name="resourcesIn"/> (the Kubernetes GatewaySync
/// watch on the leader, the registry in local mode); each grain decides whether it names the Secret.
/// </summary>
public sealed partial class SecretChangeNotifier(IGrainFactory grains, Func<string, Task<IReadOnlyList<string>>> resourcesIn, ILogger<SecretChangeNotifier> logger)
{
    /// <summary>Fire and forget: the caller (a watch loop, an API request) never waits on grains.</summary>
    public void Notify(string @namespace, string name) => _ = NotifyAsync(@namespace, name);

    private async Task NotifyAsync(string @namespace, string name)
    {
        try
        {
            foreach (var key in await resourcesIn(@namespace).ConfigureAwait(false))
            {
                await grains.GetGrain<IGatewaySyncGrain>(key).SecretChanged(name).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The next poll or backoff retry reads the Secret anyway; this only makes it sooner.
            LogNotifyFailed(logger, @namespace, name, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Secret {Namespace}/{Name} changed, but its GatewaySyncs could not be told: {Error}; they read it at their next pass")]
    private static partial void LogNotifyFailed(ILogger logger, string @namespace, string name, string error);
}
