using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Stoker.Grains.Interfaces.Resources;

namespace Stoker.AgentClient.Ignition;

/// <summary>
/// The profile's <c>designerSessionPolicy</c> before a sync (docs/resource-reference.md): <c>proceed</c> syncs while Designers are
/// open, <c>fail</c> blocks, <c>wait</c> polls until they close (every <see cref="IgnitionClientOptions.DesignerPollInterval"/>,
/// at most <see cref="IgnitionClientOptions.DesignerMaxWait"/>) and blocks if they do not. A gateway that cannot list
/// Designers never blocks a sync (fail open, as the original). Time comes from the <see cref="TimeProvider"/>.
/// </summary>
public sealed class DesignerSessionGate(IgnitionClient client, TimeProvider? timeProvider = null, ILogger<DesignerSessionGate>? logger = null)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    /// <summary>
    /// Applies <paramref name="policy"/> (empty = <c>proceed</c>). <paramref name="onWaiting"/> runs once when a <c>wait</c>
    /// begins, with the open sessions (the agent reports <c>Pending</c> with <c>designerSessionsBlocked</c>).
    /// Cancellation during the wait blocks the sync instead of throwing.
    /// </summary>
    public async Task<DesignerGateDecision> CheckAsync(
        string? policy, Func<IReadOnlyList<DesignerSession>, CancellationToken, Task>? onWaiting = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        policy = string.IsNullOrEmpty(policy) ? DesignerSessionPolicy.Proceed : policy;
        IReadOnlyList<DesignerSession> sessions;
        try
        {
            sessions = await client.GetDesignerSessionsAsync(cancellationToken);
        }
        catch (IgnitionApiException e)
        {
            IgnitionLog.DesignerQueryFailed(_logger, e.Message, policy);
            return new DesignerGateDecision(policy, DesignerGateOutcome.QueryFailed, 0, [], null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new DesignerGateDecision(policy, DesignerGateOutcome.Cancelled, 0, [], "designer session check cancelled");
        }

        var active = sessions.Count;
        if (active == 0)
        {
            return new DesignerGateDecision(policy, DesignerGateOutcome.NoSessions, 0, sessions, null);
        }

        IgnitionLog.DesignerSessionsOpen(_logger, active, string.Join(", ", sessions), policy);
        switch (policy)
        {
            case DesignerSessionPolicy.Proceed:
                return new DesignerGateDecision(policy, DesignerGateOutcome.Proceeded, active, sessions, null);
            case DesignerSessionPolicy.Fail:
                return new DesignerGateDecision(
                    policy, DesignerGateOutcome.Failed, active, sessions, $"designer sessions active (policy=fail): {string.Join(", ", sessions)}");
            case DesignerSessionPolicy.Wait:
                return await WaitAsync(policy, sessions, onWaiting, cancellationToken);
            default:
                IgnitionLog.UnknownDesignerPolicy(_logger, policy);
                return new DesignerGateDecision(policy, DesignerGateOutcome.UnknownPolicy, active, sessions, null);
        }
    }

    private async Task<DesignerGateDecision> WaitAsync(
        string policy, IReadOnlyList<DesignerSession> sessions, Func<IReadOnlyList<DesignerSession>, CancellationToken, Task>? onWaiting,
        CancellationToken cancellationToken)
    {
        var options = client.Options;
        var active = sessions.Count;
        var started = _time.GetTimestamp();
        try
        {
            if (onWaiting is not null)
            {
                await onWaiting(sessions, cancellationToken);
            }

            while (_time.GetElapsedTime(started) < options.DesignerMaxWait)
            {
                await Task.Delay(options.DesignerPollInterval, _time, cancellationToken);
                try
                {
                    sessions = await client.GetDesignerSessionsAsync(cancellationToken);
                }
                catch (IgnitionApiException e)
                {
                    IgnitionLog.DesignerQueryFailed(_logger, e.Message, policy);
                    return new DesignerGateDecision(policy, DesignerGateOutcome.QueryFailed, active, [], null);
                }

                if (sessions.Count == 0)
                {
                    IgnitionLog.DesignerSessionsClosed(_logger, _time.GetElapsedTime(started));
                    return new DesignerGateDecision(policy, DesignerGateOutcome.SessionsClosed, active, sessions, null);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new DesignerGateDecision(
                policy, DesignerGateOutcome.Cancelled, active, sessions, $"stopped waiting for designer sessions to close: {string.Join(", ", sessions)}");
        }

        var maxWait = IgnitionDurations.Format(options.DesignerMaxWait);
        IgnitionLog.DesignerWaitTimedOut(_logger, maxWait, string.Join(", ", sessions));
        return new DesignerGateDecision(
            policy, DesignerGateOutcome.TimedOut, active, sessions, $"designer sessions still active after {maxWait} timeout: {string.Join(", ", sessions)}");
    }
}
