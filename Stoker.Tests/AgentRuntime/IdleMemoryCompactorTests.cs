using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Stoker.AgentClient.Runtime;

namespace Stoker.Tests.AgentRuntime;

/// <summary>The agent compacts its heap once it has been idle for a moment after a sync, and not while syncs keep coming.</summary>
public sealed class IdleMemoryCompactorTests
{
    [Fact]
    public void Compacts_once_a_delay_after_the_last_sync()
    {
        var time = new FakeTimeProvider();
        using var compactor = new IdleMemoryCompactor(time, NullLogger<IdleMemoryCompactor>.Instance);

        compactor.Schedule();
        time.Advance(IdleMemoryCompactor.Delay / 2);
        compactor.Schedule(); // another sync finished: the wait starts again
        time.Advance(IdleMemoryCompactor.Delay / 2);
        Assert.Equal(0, compactor.Compactions);

        time.Advance(IdleMemoryCompactor.Delay / 2);
        Assert.Equal(1, compactor.Compactions);

        time.Advance(IdleMemoryCompactor.Delay * 10);
        Assert.Equal(1, compactor.Compactions); // once per quiet period, not periodically
    }

    [Fact]
    public void Nothing_runs_before_the_first_sync()
    {
        var time = new FakeTimeProvider();
        using var compactor = new IdleMemoryCompactor(time, NullLogger<IdleMemoryCompactor>.Instance);

        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(0, compactor.Compactions);
    }
}
