using System.Diagnostics;

namespace Stoker.Tests.Infrastructure;

public static class Eventually
{
    private static readonly TimeSpan PollDelay = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Polls <paramref name="probe"/> until <paramref name="done"/> holds for its result and returns that result.
    /// A probe that throws counts as "not yet"; on timeout the last value (or exception) is in the error.
    /// </summary>
    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(done);
        var clock = Stopwatch.StartNew();
        string lastSeen;
        Exception? lastError;
        while (true)
        {
            try
            {
                var value = await probe();
                if (done(value))
                {
                    return value;
                }

                lastSeen = $"last value: {Describe(value)}";
                lastError = null;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                lastSeen = $"last probe threw {e.GetType().Name}: {e.Message}";
                lastError = e;
            }

            if (clock.Elapsed >= timeout)
            {
                throw new TimeoutException($"timed out after {timeout.TotalSeconds:0.###}s waiting for {what}; {lastSeen}", lastError);
            }

            // Polling a condition with a short delay is the sanctioned way to wait in tests.
            await Task.Delay(PollDelay);
        }
    }

    private static string Describe<T>(T value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        System.Collections.IEnumerable items => $"[{string.Join(", ", items.Cast<object?>())}]",
        _ => value.ToString() ?? "null",
    };
}
