using Stoker.Grains.Interfaces;

namespace Stoker.Tests.Persistence;

public sealed class PersistenceProbeGrain(
    [PersistentState("probe", StokerStorage.Name)] IPersistentState<PersistenceProbeState> state)
    : Grain, IPersistenceProbeGrain, IRemindable
{
    public const string ReminderName = "tick";

    public Task SetNote(string note)
    {
        state.State.Note = note;
        return state.WriteStateAsync();
    }

    public Task<PersistenceProbeState> GetState() => Task.FromResult(state.State);

    public Task StartTicking(TimeSpan dueTime, TimeSpan period) =>
        this.RegisterOrUpdateReminder(ReminderName, dueTime, period);

    public async Task<bool> HasReminder() => await this.GetReminder(ReminderName) is not null;

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        state.State.Ticks++;
        return state.WriteStateAsync();
    }
}
