using Stoker.Grains.Interfaces.Grains;
using Stoker.Grains.Interfaces.Messages;

namespace Stoker.AgentClient.Control;

/// <summary>
/// The agent's observer: keeps the newest desired state pushed by its Gateway grain. One-way notifications can
/// arrive out of order, so a state whose version is not newer than the one held is ignored. Consumers wait for
/// "something changed" and then read <see cref="Current"/>: bursts collapse into the latest state.
/// </summary>
public sealed class DesiredStateInbox : IGatewayObserver
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _changed = NewSignal();
    private DesiredState? _current;
    private string? _resyncReason;

    public DesiredState? Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    /// <summary>Accepts a state if it is newer than the one held; returns whether it was accepted.</summary>
    public bool Offer(DesiredState state)
    {
        lock (_gate)
        {
            if (_current is not null && state.Version <= _current.Version)
            {
                return false;
            }

            _current = state;
            _changed.TrySetResult();
            return true;
        }
    }

    /// <summary>Takes a pending resync request (null when none).</summary>
    public string? TakeResyncRequest()
    {
        lock (_gate)
        {
            var reason = _resyncReason;
            _resyncReason = null;
            return reason;
        }
    }

    /// <summary>Completes when a newer state or a resync request has arrived since the previous wait returned.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        Task signal;
        lock (_gate)
        {
            if (_changed.Task.IsCompleted)
            {
                _changed = NewSignal();
                return;
            }

            signal = _changed.Task;
        }

        await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            if (_changed.Task == signal)
            {
                _changed = NewSignal();
            }
        }
    }

    Task IGatewayObserver.DesiredStateChanged(DesiredState state)
    {
        Offer(state);
        return Task.CompletedTask;
    }

    Task IGatewayObserver.ResyncRequested(long version, string reason)
    {
        lock (_gate)
        {
            _resyncReason = reason;
            _changed.TrySetResult();
        }

        return Task.CompletedTask;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
