using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Kubectl;

/// <summary>
/// One real silo (local mode, with a secrets folder, serving HTTPS for kubectl) and a git repository for the
/// manifests, shared by the write-side kubectl tests; each test works in its own namespace.
/// </summary>
public sealed class WriteKubectlFixture : IAsyncLifetime
{
    private readonly TempDirectory _temp = new("kubectl-write");
    private SiloProcess? _silo;

    public SiloProcess Silo => _silo ?? throw new InvalidOperationException("not started");

    public Uri Server => Silo.HttpsAddress;

    public string SecretsPath => _temp.Combine("secrets");

    public GitRepository Repo { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Repo = GitRepository.Create(_temp.Combine("repo"));
        Repo.WriteFile("projects/A/project.json", "{}");
        Repo.Commit("first");
        Directory.CreateDirectory(SecretsPath);
        _silo = await SiloProcess.StartAsync(new SiloProcessSettings
        {
            Name = "kubectl-write",
            Https = true,
            Environment = new Dictionary<string, string> { ["Stoker__Silo__SecretsPath"] = SecretsPath },
        });
    }

    public KubectlClient Client(string binary) => new(binary, Server, Silo.AdminToken.Token, certificateAuthorityFile: Silo.CaFile);

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        Repo?.Dispose();
        _temp.Dispose();
    }
}
