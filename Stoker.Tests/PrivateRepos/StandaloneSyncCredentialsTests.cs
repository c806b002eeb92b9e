using Stoker.Sync.Git;
using Stoker.Tests.AgentCli;
using Stoker.Tests.Git;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.PrivateRepos;

/// <summary>
/// <c>stoker-agent sync</c> as a real process with credentials of its own (docs/standalone-agent.md): a token file, an SSH
/// key with known_hosts; failures are reported clearly, never with the secret.
/// </summary>
public sealed class StandaloneSyncCredentialsTests(SshRefResolverFixture ssh) : IClassFixture<SshRefResolverFixture>, IDisposable
{
    private readonly SyncWorkspace _ws = new("standalone-creds");

    public void Dispose() => _ws.Dispose();

    private string WriteResource() => _ws.WriteResource(SyncWorkspace.ProjectsResource);

    [Fact]
    public async Task Sync_SshKeyFileAndKnownHosts_FetchesOverSsh_WrongHostKeyIsReportedAsSuch()
    {
        var resource = WriteResource();

        var good = await _ws.SyncAsync(resource, "--repo", ssh.Url, "--ssh-key-file", ssh.Server.ClientKeyPath, "--known-hosts-file", ssh.Server.KnownHostsPath);
        var wrong = await _ws.SyncAsync(resource, "--repo", ssh.Url, "--ssh-key-file", ssh.Server.ClientKeyPath,
            "--known-hosts-file", ssh.Server.WrongKnownHostsPath, "--work", _ws.Combine("work-wrong"));

        Assert.True(good.ExitCode == 0, good.ToString());
        Assert.Equal(ssh.Main, good.Report.GetProperty("commit").GetString());
        Assert.True(wrong.ExitCode == 1, wrong.ToString());
        var message = wrong.Report.GetProperty("errorMessage").GetString()!;
        Assert.StartsWith($"host key verification failed for {GitCheckout.Redact(ssh.Url)}: ", message, StringComparison.Ordinal);
        Assert.Contains("Host key verification failed", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_WrongTokenFile_ReportsAuthenticationFailedWithoutTheToken()
    {
        _ws.Repo.WriteFile("services/gw/projects/Alpha/project.json", "{}");
        _ws.Repo.Commit("initial");
        await using var git = await SmartHttpGitServer.StartAsync(_ws.Combine("repos"), ("x-access-token", "right-standalone"));
        var tokenFile = _ws.Combine("token");
        await File.WriteAllTextAsync(tokenFile, "wrong-standalone\n");

        var run = await _ws.SyncAsync(WriteResource(), "--repo", git.UrlFor("site"), "--token-file", tokenFile);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal($"authentication failed for {git.UrlFor("site")}: the remote rejected the credentials", run.Report.GetProperty("errorMessage").GetString());
        Assert.DoesNotContain("wrong-standalone", run.Stdout + run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_MissingSshKeyFile_FailsNamingTheFile()
    {
        var run = await _ws.SyncAsync(WriteResource(), "--repo", ssh.Url, "--ssh-key-file", _ws.Combine("no-such-key"));

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.StartsWith($"reading SSH key {_ws.Combine("no-such-key")}: ", run.Report.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
    }
}
