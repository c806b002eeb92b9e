using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Git;

/// <summary>A repository (main with an annotated tag v2) reachable over ssh:// through a private sshd.</summary>
public sealed class SshRefResolverFixture : IAsyncLifetime
{
    private GitRepository? _repository;
    private SshGitServer? _server;

    public SshGitServer Server => _server!;

    public string Url => Server.UrlFor(_repository!.Path);

    public string Main { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        _repository = GitRepository.Create();
        _repository.WriteFile("a.txt", "a");
        Main = _repository.Commit("first");
        _repository.Tag("v2", annotatedMessage: "v2");
        _server = await SshGitServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _repository?.Dispose();
    }
}
