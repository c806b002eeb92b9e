using Stoker.Demo.Tour;

namespace Stoker.Demo.View;

/// <summary>
/// For logs and unattended runs (<c>--non-interactive</c>, or output not a terminal): one line per change, each with
/// the time since the demo started, instead of a redrawn display.
/// </summary>
public sealed class PlainTourView(TextWriter output, TimeProvider time) : ITourView
{
    private readonly long _started = time.GetTimestamp();
    private readonly Lock _lock = new();

    public async Task RunAsync(TourState state, Func<Task> work)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(work);
        WriteLine(state.Title);
        state.Changed += WriteLine;
        try
        {
            await work();
        }
        finally
        {
            state.Changed -= WriteLine;
        }
    }

    public void WriteLine(string line)
    {
        lock (_lock)
        {
            output.WriteLine($"[{time.GetElapsedTime(_started).TotalSeconds,6:0.0}s] {line}");
            output.Flush();
        }
    }
}
