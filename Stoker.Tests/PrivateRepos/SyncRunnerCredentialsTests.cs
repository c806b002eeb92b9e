using Microsoft.Extensions.Logging.Abstractions;
using Stoker.AgentClient.Ignition;
using Stoker.AgentClient.Runtime;
using Stoker.Grains.Interfaces.Messages;
using Stoker.Grains.Interfaces.Profiles;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.PrivateRepos;

/// <summary>
/// How the agent's sync takes credentials (docs/private-repositories.md): asked from the control plane before every fetch
/// of a repository with <c>spec.git.auth</c>, used only for that repository, <c>GIT_TOKEN_FILE</c> an override. Dry runs
/// against a real smart-HTTP server with basic auth: no gateway is called.
/// </summary>
public sealed class SyncRunnerCredentialsTests : IAsyncLifetime
{
    private static readonly GitAuthSpec TokenAuth = new() { Token = new TokenAuth { SecretRef = new SecretKeyRef { Name = "git", Key = "token" } } };

    private readonly TempDirectory _temp = new("runner-creds");
    private SmartHttpGitServer? _git;
    private GitRepository? _repo;

    private string Url => _git!.UrlFor("site");

    public async Task InitializeAsync()
    {
        _repo = GitRepository.Create(_temp.Combine("repos", "site"));
        _repo.WriteFile("projects/A/project.json", "{}");
        _repo.Commit("first");
        _git = await SmartHttpGitServer.StartAsync(_temp.Combine("repos"), ("x-access-token", "T1-runner"));
    }

    public async Task DisposeAsync()
    {
        if (_git is not null)
        {
            await _git.DisposeAsync();
        }

        _repo?.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task RunAsync_AuthSet_AsksBeforeEveryFetchAndUsesTheAnswer()
    {
        var token = "T1-runner";
        var asked = 0;
        using var runner = Runner(tokenFile: null);
        Task<GitFetchCredentials> Ask(CancellationToken _)
        {
            asked++;
            return Task.FromResult(new GitFetchCredentials { RepoUrl = Url, AuthType = GitFetchCredentials.TokenType, Password = token });
        }

        var first = await runner.RunAsync(Desired(), SyncKind.Triggered, null, Ask, CancellationToken.None, CancellationToken.None);
        _git!.ReplaceBasicAuth("x-access-token", "T2-runner");
        token = "T2-runner";
        _repo!.WriteFile("projects/B/project.json", "{}");
        _repo.Commit("second");
        var second = await runner.RunAsync(Desired(), SyncKind.Triggered, null, Ask, CancellationToken.None, CancellationToken.None);

        Assert.True(first.Report.ErrorMessage is null, first.Report.ErrorMessage);
        Assert.True(second.Report.ErrorMessage is null, second.Report.ErrorMessage);
        Assert.Equal(2, asked);
    }

    [Fact]
    public async Task RunAsync_ControlPlaneAnswersWithAnError_ReportNamesIt()
    {
        using var runner = Runner(tokenFile: null);

        var outcome = await runner.RunAsync(Desired(), SyncKind.Triggered, null,
            _ => Task.FromResult(new GitFetchCredentials { RepoUrl = Url, Error = "resolving git auth: key \"token\" not found in secret plant/git" }),
            CancellationToken.None, CancellationToken.None);

        Assert.Equal(SyncStatus.Error, outcome.Report.SyncStatus);
        Assert.Equal("git credentials: resolving git auth: key \"token\" not found in secret plant/git", outcome.Report.ErrorMessage);
    }

    [Fact]
    public async Task RunAsync_CredentialsForAnotherRepository_RefusedNeverSent()
    {
        using var runner = Runner(tokenFile: null);

        var outcome = await runner.RunAsync(Desired(), SyncKind.Triggered, null,
            _ => Task.FromResult(new GitFetchCredentials { RepoUrl = "https://elsewhere.example/other.git", AuthType = GitFetchCredentials.TokenType, Password = "T1-runner" }),
            CancellationToken.None, CancellationToken.None);

        Assert.Equal(SyncStatus.Error, outcome.Report.SyncStatus);
        Assert.Equal(
            $"git credentials: the control plane's credentials are for https://elsewhere.example/other.git, not {Url}: refusing to use them for another repository",
            outcome.Report.ErrorMessage);
    }

    [Fact]
    public async Task RunAsync_RemoteRejectsTheCredentials_ClearReportWithoutTheSecret()
    {
        using var runner = Runner(tokenFile: null);

        var outcome = await runner.RunAsync(Desired(), SyncKind.Triggered, null,
            _ => Task.FromResult(new GitFetchCredentials { RepoUrl = Url, AuthType = GitFetchCredentials.TokenType, Password = "not-the-token" }),
            CancellationToken.None, CancellationToken.None);

        Assert.Equal($"git: authentication failed for {Url}: the remote rejected the credentials", outcome.Report.ErrorMessage);
    }

    [Fact]
    public async Task RunAsync_TokenFileSet_NeverAsksTheControlPlaneAndRereadsTheFile()
    {
        var tokenFile = _temp.Combine("token-file");
        await File.WriteAllTextAsync(tokenFile, "T1-runner\n");
        using var runner = Runner(tokenFile);
        var asked = 0;
        Task<GitFetchCredentials> Ask(CancellationToken _)
        {
            asked++;
            return Task.FromResult(new GitFetchCredentials { RepoUrl = Url, Error = "must not be asked" });
        }

        var first = await runner.RunAsync(Desired(), SyncKind.Triggered, null, Ask, CancellationToken.None, CancellationToken.None);
        _git!.ReplaceBasicAuth("x-access-token", "T3-runner");
        var stale = await runner.RunAsync(Desired(), SyncKind.Triggered, null, Ask, CancellationToken.None, CancellationToken.None);
        await File.WriteAllTextAsync(tokenFile, "T3-runner");
        var rotated = await runner.RunAsync(Desired(), SyncKind.Triggered, null, Ask, CancellationToken.None, CancellationToken.None);

        Assert.True(first.Report.ErrorMessage is null, first.Report.ErrorMessage);
        Assert.Equal($"git: authentication failed for {Url}: the remote rejected the credentials", stale.Report.ErrorMessage);
        Assert.True(rotated.Report.ErrorMessage is null, rotated.Report.ErrorMessage);
        Assert.Equal(0, asked);
    }

    private DesiredState Desired() => new()
    {
        Version = 1,
        RepoUrl = Url,
        GitAuth = TokenAuth,
        Ref = "main",
        Commit = _repo!.Head(),
        ProfileName = "default",
        Profile = new ResolvedProfile(),
        DryRun = true,
    };

    private SyncRunner Runner(string? tokenFile)
    {
        var options = new AgentOptions
        {
            RepoPath = _temp.Combine("work-" + Guid.NewGuid().ToString("N")),
            DataPath = Directory.CreateDirectory(_temp.Combine("data-" + Guid.NewGuid().ToString("N"))).FullName,
            GatewayName = "gw",
            PodName = "gw-0",
            GitTokenFile = tokenFile,
        };
#pragma warning disable CA2000 // the runner does not own the client; nothing in a dry run calls the gateway
        var ignition = new IgnitionClient(new HttpClient(), new IgnitionClientOptions());
#pragma warning restore CA2000
        return new SyncRunner(options, ignition, new AgentMetrics(), new AgentHealth(), TimeProvider.System, NullLoggerFactory.Instance);
    }
}
