namespace Stoker.Tests.Persistence;

/// <summary>A test-only grain that keeps a note and a tick count in the Stoker storage and ticks on a reminder.</summary>
public interface IPersistenceProbeGrain : IGrainWithStringKey
{
    Task SetNote(string note);

    Task<PersistenceProbeState> GetState();

    Task StartTicking(TimeSpan dueTime, TimeSpan period);

    Task<bool> HasReminder();
}
