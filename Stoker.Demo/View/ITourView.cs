using Stoker.Demo.Tour;

namespace Stoker.Demo.View;

/// <summary>Shows a <see cref="TourState"/> while <c>work</c> runs, and returns (or throws) as the work does.</summary>
public interface ITourView
{
    Task RunAsync(TourState state, Func<Task> work);

    /// <summary>A line after the display (failures, the stop report), written where the view writes.</summary>
    void WriteLine(string line);
}
