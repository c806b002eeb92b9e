using Stoker.Grains.Interfaces.Grains;
using Stoker.Grains.Interfaces.Messages;

namespace Stoker.AgentClient.Control;

/// <summary>
/// The agent's observer: keeps the newest desired state pushed by its Gateway grain. One-way notifications can
/// arrive out of order, so a state of the held state's epoch whose version is not newer is ignored; a state of
/// another epoch (the control plane lost its state and counts again from 1) always replaces it
/// (<see cref="DesiredState.Supersedes"/>). Consumers wait for
/// "something changed" and then read <see cref="Current"/>: bursts collapse into the latest state.
/// </summary>
public sealed class DesiredStateInbox : IGatewayObserver
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _changed = NewSignal();
    private DesiredState? _current;

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

    /// <summary>Accepts a state if it supersedes the one held; returns whether it was accepted.</summary>
    public bool Offer(DesiredState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        lock (_gate)
        {
            if (!state.Supersedes(_current))
            {
                return false;
            }

            _current = state;
            _changed.TrySetResult();
            return true;
        }
    }

    /// <summary>Completes when a newer state has arrived since the previous wait returned.</summary>
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


    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
