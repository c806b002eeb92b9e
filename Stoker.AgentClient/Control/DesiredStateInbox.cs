using Orleans.Serialization;
using Stoker.Grains.Interfaces.Grains;
using Stoker.Grains.Interfaces.Messages;
using Stoker.Grains.Interfaces.Security;

namespace Stoker.AgentClient.Control;

/// <summary>
/// The agent's observer: keeps the newest desired state pushed by its Gateway grain. One-way notifications can
/// arrive out of order, so a state of the held state's epoch whose version is not newer is ignored; a state of
/// another epoch (the control plane lost its state and counts again from 1) always replaces it
/// (<see cref="DesiredState.Supersedes"/>). Consumers wait for
/// "something changed" and then read <see cref="Current"/>: bursts collapse into the latest state.
/// <para>
/// A push is taken only when its seal verifies with the key of the session set by <see cref="UseSession"/>: any
/// Orleans client that learnt this observer's id can send it messages, only the Gateway grain knows the session token
/// (docs/security.md, "Pushes"). A refused push is counted and dropped; the heartbeat still notices a newer version
/// and pulls it with a registration, which answers over the agent's own call.
/// </para>
/// </summary>
public sealed class DesiredStateInbox(Serializer<DesiredState> serializer) : IGatewayObserver
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _changed = NewSignal();
    private DesiredState? _current;
    private volatile byte[]? _pushKey;
    private long _refused;

    /// <summary>Pushes dropped because their seal did not verify with the session's key.</summary>
    public long RefusedPushes => Interlocked.Read(ref _refused);

    /// <summary>Raised (on the caller's thread) for every push dropped because its seal did not verify.</summary>
    public event Action? PushRefused;

    /// <summary>Pushes from now on must be sealed for the session <paramref name="sessionToken"/> names.</summary>
    public void UseSession(string sessionToken) => _pushKey = DesiredStateSeal.KeyFor(sessionToken);

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

    Task IGatewayObserver.DesiredStateChanged(DesiredStatePush push)
    {
        if (DesiredStateSeal.Open(serializer, push, _pushKey) is { } state)
        {
            Offer(state);
        }
        else
        {
            Interlocked.Increment(ref _refused);
            PushRefused?.Invoke();
        }

        return Task.CompletedTask;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
