namespace Stoker.Silo.Kubernetes;

/// <summary>A watch that runs beside the GatewaySync watch, on the leader silo only, while it leads.</summary>
public interface ILeaderWatch
{
    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled (leadership lost, or the silo stops).</summary>
    Task RunAsync(CancellationToken cancellationToken);
}
