namespace Stoker.Tests.Kubernetes.Discovery;

/// <summary>One fake API server and one silo for a class of discovery tests; each test works in its own namespace.</summary>
public sealed class DiscoveryFixture : IAsyncLifetime
{
    public DiscoveryBed Bed { get; private set; } = null!;

    public async Task InitializeAsync() => Bed = await DiscoveryBed.StartAsync();

    public async Task DisposeAsync() => await Bed.DisposeAsync();
}
