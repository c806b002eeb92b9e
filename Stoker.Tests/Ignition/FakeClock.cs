using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace Stoker.Tests.Ignition;

/// <summary>Drives code that waits on a <see cref="FakeTimeProvider"/> while it also talks to a real gateway.</summary>
internal static class FakeClock
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Advances <paramref name="clock"/> by <paramref name="step"/> until <paramref name="task"/> completes, letting real I/O run
    /// between steps; <paramref name="beforeStep"/> may change the world as fake time passes. Fails after a real minute.
    /// </summary>
    public static async Task<T> PumpAsync<T>(FakeTimeProvider clock, Task<T> task, TimeSpan step, Action? beforeStep = null)
    {
        var real = Stopwatch.StartNew();
        while (!task.IsCompleted)
        {
            if (real.Elapsed > Deadline)
            {
                throw new TimeoutException($"the task did not complete within {Deadline} of real time (fake clock at {clock.GetUtcNow():O})");
            }

            beforeStep?.Invoke();
            clock.Advance(step);
            // A brief real pause lets the HTTP exchange a fired timer started make progress before the next step.
            await Task.WhenAny(task, Task.Delay(TimeSpan.FromMilliseconds(5)));
        }

        return await task;
    }
}
