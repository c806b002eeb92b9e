using System.Collections.Frozen;
using Microsoft.Extensions.Options;
using Stoker.Grains.Interfaces.Grains;
using Stoker.Grains.Interfaces.Messages;

namespace Stoker.Silo.Security;

/// <summary>
/// This silo's copy of the revoked agent token ids (<see cref="IAgentTokensGrain"/>), read at every client call
/// without a grain call. Reloaded every <see cref="AgentCredentialOptions.RevocationRefreshInterval"/>; the silo that
/// revokes applies the new list at once, so a revoked token is refused cluster-wide within one interval.
/// </summary>
public sealed partial class AgentTokenRevocationList(
    IGrainFactory grains,
    IOptions<AgentCredentialOptions> options,
    TimeProvider time,
    ILogger<AgentTokenRevocationList> logger) : BackgroundService
{
    private readonly Lock _gate = new();
    private volatile FrozenSet<string> _revoked = FrozenSet<string>.Empty;
    private long _version = -1;
    private bool _failing;

    public bool Contains(string tokenId) => _revoked.Contains(tokenId);

    /// <summary>Takes <paramref name="revocations"/> unless this copy already has a newer version.</summary>
    public void Apply(AgentTokenRevocations revocations)
    {
        ArgumentNullException.ThrowIfNull(revocations);
        lock (_gate)
        {
            if (revocations.Version < _version)
            {
                return;
            }

            _version = revocations.Version;
            _revoked = revocations.Revoked.Select(r => r.Id).ToFrozenSet(StringComparer.Ordinal);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RevocationRefreshInterval, time);
        try
        {
            do
            {
                await RefreshAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task RefreshAsync(CancellationToken stoppingToken)
    {
        try
        {
            Apply(await grains.GetGrain<IAgentTokensGrain>(IAgentTokensGrain.AllKey).GetRevocations().WaitAsync(stoppingToken));
            if (_failing)
            {
                _failing = false;
                LogRecovered(logger);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            if (!_failing)
            {
                _failing = true;
                LogFailed(logger, e.GetType().Name, e.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot reload the revoked agent tokens ({Error}: {Message}); keeping the last list and retrying")]
    private static partial void LogFailed(ILogger logger, string error, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Revoked agent tokens reloaded again")]
    private static partial void LogRecovered(ILogger logger);
}
