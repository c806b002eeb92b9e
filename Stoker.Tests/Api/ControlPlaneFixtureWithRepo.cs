using Stoker.Tests.ControlPlane;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Api;

/// <summary>One silo and one repository shared by a test class; each test starts its own API host and uses its own namespace.</summary>
public sealed class ControlPlaneFixtureWithRepo : IAsyncLifetime
{
    private ControlPlaneHost? _controlPlane;

    public ControlPlaneHost ControlPlane => _controlPlane ?? throw new InvalidOperationException("not started");

    public GitRepository Repo { get; } = GitRepository.Create();

    public async Task InitializeAsync()
    {
        Repo.WriteFile("projects/A/project.json", "{}");
        Repo.Commit("first");
        _controlPlane = await ControlPlaneHost.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_controlPlane is not null)
        {
            await _controlPlane.DisposeAsync();
        }

        Repo.Dispose();
    }
}
