using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;
using Stoker.Silo.Persistence;

namespace Stoker.Tests.Persistence;

/// <summary>Local mode's grain storage keeps the provider contract a database keeps: ETags, isolation, clearing.</summary>
public sealed class InProcessGrainStorageTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddSerializer(s => s.AddAssembly(typeof(PersistenceProbeState).Assembly)).BuildServiceProvider();
    private readonly InProcessGrainStorage _storage;
    private static readonly GrainId Grain = GrainId.Create("probe", "one");

    public InProcessGrainStorageTests() =>
        _storage = new InProcessGrainStorage("stoker", new OrleansGrainStorageSerializer(_services.GetRequiredService<Serializer>()));

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task Read_NothingStored_FreshStateNoETag()
    {
        var state = new GrainState<PersistenceProbeState>();

        await _storage.ReadStateAsync("s", Grain, state);

        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
        Assert.NotNull(state.State);
        Assert.Equal(0, state.State!.Ticks);
    }

    [Fact]
    public async Task WriteThenRead_RoundTripsACopyNotTheLiveObject()
    {
        var written = new GrainState<PersistenceProbeState>(new PersistenceProbeState { Note = "kept", Ticks = 3 });
        await _storage.WriteStateAsync("s", Grain, written);
        written.State!.Note = "changed after the write";

        var read = new GrainState<PersistenceProbeState>();
        await _storage.ReadStateAsync("s", Grain, read);

        Assert.True(read.RecordExists);
        Assert.Equal("kept", read.State!.Note);
        Assert.Equal(3, read.State!.Ticks);
        Assert.Equal(written.ETag, read.ETag);
        Assert.NotSame(written.State, read.State);
    }

    [Fact]
    public async Task Write_StaleOrMissingETag_RefusedAndStoredStateKept()
    {
        var first = new GrainState<PersistenceProbeState>(new PersistenceProbeState { Note = "first" });
        await _storage.WriteStateAsync("s", Grain, first);
        var stale = new GrainState<PersistenceProbeState>(new PersistenceProbeState { Note = "stale" }) { ETag = "not-the-etag" };
        var blind = new GrainState<PersistenceProbeState>(new PersistenceProbeState { Note = "blind" });

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("s", Grain, stale));
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("s", Grain, blind));
        var read = new GrainState<PersistenceProbeState>();
        await _storage.ReadStateAsync("s", Grain, read);
        Assert.Equal("first", read.State!.Note);
    }

    [Fact]
    public async Task Write_ETagForAStateThatIsNotThere_Refused()
    {
        var ghost = new GrainState<PersistenceProbeState>(new PersistenceProbeState()) { ETag = "7" };

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("s", Grain, ghost));
    }

    [Fact]
    public async Task Clear_RemovesTheStateAndANewWriteStartsOver()
    {
        var state = new GrainState<PersistenceProbeState>(new PersistenceProbeState { Note = "gone soon" });
        await _storage.WriteStateAsync("s", Grain, state);

        await _storage.ClearStateAsync("s", Grain, state);
        var read = new GrainState<PersistenceProbeState>();
        await _storage.ReadStateAsync("s", Grain, read);

        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
        Assert.False(read.RecordExists);
        await _storage.WriteStateAsync("s", Grain, new GrainState<PersistenceProbeState>(new PersistenceProbeState { Note = "again" }));
    }

    [Fact]
    public async Task StateNamesAndGrainsAreSeparate()
    {
        await _storage.WriteStateAsync("a", Grain, new GrainState<PersistenceProbeState>(new PersistenceProbeState { Note = "a" }));
        await _storage.WriteStateAsync("b", Grain, new GrainState<PersistenceProbeState>(new PersistenceProbeState { Note = "b" }));
        await _storage.WriteStateAsync("a", GrainId.Create("probe", "two"), new GrainState<PersistenceProbeState>(new PersistenceProbeState { Note = "two" }));

        var read = new GrainState<PersistenceProbeState>();
        await _storage.ReadStateAsync("b", Grain, read);

        Assert.Equal("b", read.State!.Note);
    }

    [Fact]
    public async Task ConcurrentWritersWithTheSameETag_ExactlyOneWins()
    {
        var seed = new GrainState<PersistenceProbeState>(new PersistenceProbeState());
        await _storage.WriteStateAsync("s", Grain, seed);
        var writers = Enumerable.Range(0, 16)
            .Select(i => new GrainState<PersistenceProbeState>(new PersistenceProbeState { Ticks = i }) { ETag = seed.ETag })
            .ToList();

        var outcomes = await Task.WhenAll(writers.Select(w => Task.Run(async () =>
        {
            try
            {
                await _storage.WriteStateAsync("s", Grain, w);
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        })));

        Assert.Single(outcomes, won => won);
    }
}
