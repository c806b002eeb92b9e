namespace Stoker.Tests.Persistence;

[GenerateSerializer]
public sealed class PersistenceProbeState
{
    [Id(0)]
    public string? Note { get; set; }

    [Id(1)]
    public int Ticks { get; set; }
}
