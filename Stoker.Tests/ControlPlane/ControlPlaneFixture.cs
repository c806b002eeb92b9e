namespace Stoker.Tests.ControlPlane;

/// <summary>One silo and client shared by a test class (each test uses its own resource names).</summary>
public sealed class ControlPlaneFixture : IAsyncLifetime
{
    private ControlPlaneHost? _host;

    public ControlPlaneHost Host => _host ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _host = await ControlPlaneHost.StartAsync();

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
