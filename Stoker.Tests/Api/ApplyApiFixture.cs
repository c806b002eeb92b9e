using Stoker.Tests.ControlPlane;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Api;

/// <summary>One silo, one apply API and one repository shared by a test class; each test uses its own names.</summary>
public sealed class ApplyApiFixture : IAsyncLifetime
{
    private ControlPlaneHost? _controlPlane;
    private ApplyApiHost? _api;

    public ControlPlaneHost ControlPlane => _controlPlane ?? throw new InvalidOperationException("not started");

    public ApplyApiHost Api => _api ?? throw new InvalidOperationException("not started");

    public GitRepository Repo { get; } = GitRepository.Create();

    public string Commit { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Repo.WriteFile("projects/A/project.json", "{}");
        Commit = Repo.Commit("first");
        _controlPlane = await ControlPlaneHost.StartAsync();
        _api = await ApplyApiHost.StartAsync(_controlPlane.Client);
    }

    public async Task DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        if (_controlPlane is not null)
        {
            await _controlPlane.DisposeAsync();
        }

        Repo.Dispose();
    }
}
