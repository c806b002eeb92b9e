using Stoker.Grains.Interfaces.Grains;
using Stoker.Grains.Interfaces.Messages;

namespace Stoker.Tests.ControlPlane;

/// <summary>The agent's real observer (<paramref name="inner"/>) behind a counter of the pushes it received.</summary>
public sealed class CountingObserver(IGatewayObserver inner) : IGatewayObserver
{
    private int _pushes;

    public int Pushes => Volatile.Read(ref _pushes);

    public Task DesiredStateChanged(DesiredStatePush push)
    {
        Interlocked.Increment(ref _pushes);
        return inner.DesiredStateChanged(push);
    }
}
