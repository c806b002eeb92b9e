using Stoker.Tests.EndToEnd;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.PrivateRepos;

/// <summary>
/// SSH deploy keys end to end (docs/private-repositories.md): a private sshd, the key and known_hosts in the silo's
/// secrets folder, the control plane's ls-remote and the agent's fetch both through the system ssh.
/// </summary>
[Collection(PrivateReposCollection.Name)]
public sealed class SshFromControlPlaneTests(PrivateReposSilo fixture)
{
    [Fact]
    public async Task Ssh_RightKnownHosts_ControlPlaneResolvesAndTheAgentSyncs()
    {
        const string name = "ssh-site";
        using var temp = new TempDirectory("ssh-site");
        var repo = GitRepository.Create(temp.Combine("site"));
        var first = SitePushes.CommitProject(repo, "Alpha");
        await using var sshd = await SshGitServer.StartAsync();
        fixture.WriteSecret("git-ssh-site", "identity", await File.ReadAllTextAsync(sshd.ClientKeyPath));
        fixture.WriteSecret("git-ssh-site", "known_hosts", await File.ReadAllTextAsync(sshd.KnownHostsPath));
        await fixture.PutResourceAsync(name, sshd.UrlFor(repo.Path), Auth("git-ssh-site", knownHosts: true));
        await using var agent = await fixture.StartAgentAsync(name);
        string Diagnostics() => $"--- silo ---\n{fixture.Silo.Output}\n--- agent ---\n{agent.Output}";
        try
        {
            await agent.WaitForFileAsync("projects/Alpha/project.json", Diagnostics);
            await fixture.WaitForStatusAsync(name, s => PrivateReposSilo.HasCondition(s, "RefResolved", "True") && PrivateReposSilo.GatewayCommit(s) == first,
                "RefResolved=True and the gateway reporting the first commit", Diagnostics);

            var second = SitePushes.CommitProject(repo, "Beta");
            await fixture.PushAsync(name, second);
            await agent.WaitForFileAsync("projects/Beta/project.json", Diagnostics);
            Assert.DoesNotContain("not verified", agent.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("PRIVATE KEY", agent.Output + fixture.Silo.Output, StringComparison.Ordinal);
        }
        finally
        {
            await fixture.DeleteResourceAsync(name);
        }
    }

    [Fact]
    public async Task Ssh_NoKnownHosts_WarningConditionAndTheAgentStillSyncs()
    {
        const string name = "ssh-nokh";
        using var temp = new TempDirectory("ssh-nokh");
        var repo = GitRepository.Create(temp.Combine("site"));
        var first = SitePushes.CommitProject(repo, "Alpha");
        await using var sshd = await SshGitServer.StartAsync();
        fixture.WriteSecret("git-ssh-nokh", "identity", await File.ReadAllTextAsync(sshd.ClientKeyPath));
        await fixture.PutResourceAsync(name, sshd.UrlFor(repo.Path), Auth("git-ssh-nokh", knownHosts: false));
        await using var agent = await fixture.StartAgentAsync(name);
        string Diagnostics() => $"--- silo ---\n{fixture.Silo.Output}\n--- agent ---\n{agent.Output}";
        try
        {
            await agent.WaitForFileAsync("projects/Alpha/project.json", Diagnostics);
            await fixture.WaitForStatusAsync(name,
                s => PrivateReposSilo.HasCondition(s, "SSHHostKeyVerification", "False", "SSH host key verification disabled") && PrivateReposSilo.GatewayCommit(s) == first,
                "SSHHostKeyVerification=False and the gateway on the first commit", Diagnostics);
            await agent.WaitForOutputAsync("are not verified", Diagnostics);
        }
        finally
        {
            await fixture.DeleteResourceAsync(name);
        }
    }

    [Fact]
    public async Task Ssh_WrongHostKey_RefResolvedFalseSayingHostKeyVerificationFailed()
    {
        const string name = "ssh-badkh";
        using var temp = new TempDirectory("ssh-badkh");
        var repo = GitRepository.Create(temp.Combine("site"));
        SitePushes.CommitProject(repo, "Alpha");
        await using var sshd = await SshGitServer.StartAsync();
        fixture.WriteSecret("git-ssh-badkh", "identity", await File.ReadAllTextAsync(sshd.ClientKeyPath));
        fixture.WriteSecret("git-ssh-badkh", "known_hosts", await File.ReadAllTextAsync(sshd.WrongKnownHostsPath));
        try
        {
            await fixture.PutResourceAsync(name, sshd.UrlFor(repo.Path), Auth("git-ssh-badkh", knownHosts: true));

            await fixture.WaitForStatusAsync(name, s => PrivateReposSilo.HasCondition(s, "RefResolved", "False", "Host key verification failed"),
                "RefResolved=False naming the host key", () => fixture.Silo.Output);
        }
        finally
        {
            await fixture.DeleteResourceAsync(name);
        }
    }

    private static string Auth(string secretName, bool knownHosts) =>
        $"    auth:\n      sshKey:\n        secretRef:\n          name: {secretName}\n          key: identity" +
        (knownHosts ? $"\n        knownHosts:\n          secretRef:\n            name: {secretName}\n            key: known_hosts" : "");
}
