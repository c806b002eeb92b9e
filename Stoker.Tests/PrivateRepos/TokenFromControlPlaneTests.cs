using Stoker.Tests.EndToEnd;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.PrivateRepos;

/// <summary>
/// HTTPS token auth end to end (docs/private-repositories.md): lighttpd requiring basic auth, the token in the silo's
/// secrets folder, agents without a token file of their own.
/// </summary>
[Collection(PrivateReposCollection.Name)]
public sealed class TokenFromControlPlaneTests(PrivateReposSilo fixture)
{
    [Fact]
    public async Task Token_AgentWithoutTokenFile_SyncsWithTheTokenTheSiloDerives()
    {
        const string name = "token-site";
        using var temp = new TempDirectory("token-site");
        var repo = GitRepository.Create(temp.Combine("repos", "site"));
        var first = SitePushes.CommitProject(repo, "Alpha");
        await using var git = await SmartHttpGitServer.StartAsync(temp.Combine("repos"), ("x-access-token", "T1-token-site"));
        fixture.WriteSecret("git-token-site", "token", "T1-token-site\n");
        await fixture.PutResourceAsync(name, git.UrlFor("site"), Auth("git-token-site"));
        await using var agent = await fixture.StartAgentAsync(name);
        string Diagnostics() => $"--- silo ---\n{fixture.Silo.Output}\n--- agent ---\n{agent.Output}";
        try
        {
            await agent.WaitForFileAsync("projects/Alpha/project.json", Diagnostics);
            await fixture.WaitForStatusAsync(name, s => PrivateReposSilo.HasCondition(s, "RefResolved", "True") && PrivateReposSilo.GatewayCommit(s) == first,
                "RefResolved=True and the gateway reporting the first commit", Diagnostics);

            // A fetch into the existing copy (not only the first clone) is authenticated too.
            var second = SitePushes.CommitProject(repo, "Beta");
            await fixture.PushAsync(name, second);
            await agent.WaitForFileAsync("projects/Beta/project.json", Diagnostics);
            Assert.DoesNotContain("T1-token-site", agent.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("T1-token-site", fixture.Silo.Output, StringComparison.Ordinal);
        }
        finally
        {
            await fixture.DeleteResourceAsync(name);
        }
    }

    [Fact]
    public async Task Token_SecretRotatedWhileTheAgentRuns_NextFetchUsesTheNewTokenWithoutRestart()
    {
        const string name = "rotate-site";
        using var temp = new TempDirectory("rotate-site");
        var repo = GitRepository.Create(temp.Combine("repos", "site"));
        SitePushes.CommitProject(repo, "Alpha");
        await using var git = await SmartHttpGitServer.StartAsync(temp.Combine("repos"), ("x-access-token", "T1-rotate"));
        fixture.WriteSecret("git-token-rotate", "token", "T1-rotate");
        await fixture.PutResourceAsync(name, git.UrlFor("site"), Auth("git-token-rotate"));
        await using var agent = await fixture.StartAgentAsync(name);
        string Diagnostics() => $"--- silo ---\n{fixture.Silo.Output}\n--- agent ---\n{agent.Output}";
        try
        {
            await agent.WaitForFileAsync("projects/Alpha/project.json", Diagnostics);
            var pid = agent.Process.Process.Id;

            // The server now takes only the new token, and the Secret holds it: the old one would be refused.
            git.ReplaceBasicAuth("x-access-token", "T2-rotate");
            fixture.WriteSecret("git-token-rotate", "token", "T2-rotate");
            var next = SitePushes.CommitProject(repo, "Rotated");
            await fixture.PushAsync(name, next);

            await agent.WaitForFileAsync("projects/Rotated/project.json", Diagnostics);
            await fixture.WaitForStatusAsync(name, s => PrivateReposSilo.GatewayCommit(s) == next,
                "the gateway reporting the commit fetched with the rotated token", Diagnostics);
            Assert.False(agent.Process.Process.HasExited, "the agent was not restarted\n" + agent.Output);
            Assert.Equal(pid, agent.Process.Process.Id);
        }
        finally
        {
            await fixture.DeleteResourceAsync(name);
        }
    }

    [Fact]
    public async Task Token_WrongTokenInTheSecret_RefResolvedFalseWithAnAuthenticationMessage()
    {
        const string name = "wrong-site";
        using var temp = new TempDirectory("wrong-site");
        var repo = GitRepository.Create(temp.Combine("repos", "site"));
        SitePushes.CommitProject(repo, "Alpha");
        await using var git = await SmartHttpGitServer.StartAsync(temp.Combine("repos"), ("x-access-token", "right-token"));
        fixture.WriteSecret("git-token-wrong", "token", "wrong-token-value");
        try
        {
            await fixture.PutResourceAsync(name, git.UrlFor("site"), Auth("git-token-wrong"));

            var resource = await fixture.WaitForStatusAsync(name, s => PrivateReposSilo.HasCondition(s, "RefResolved", "False"),
                "RefResolved=False", () => fixture.Silo.Output);

            var message = PrivateReposSilo.Condition(resource.GetProperty("status"), "RefResolved")!.Value.GetProperty("message").GetString()!;
            Assert.Contains($"ls-remote {git.UrlFor("site")}: authentication failed: the remote rejected the credentials", message, StringComparison.Ordinal);
            Assert.DoesNotContain("wrong-token-value", resource.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            await fixture.DeleteResourceAsync(name);
        }
    }

    [Fact]
    public async Task WrongToken_SecretFixedThroughTheSecretsApi_ReconcilesAtOnceNotAtTheNextRetry()
    {
        const string name = "fix-site";
        const string path = $"/api/v1/namespaces/{PrivateReposSilo.Namespace}/secrets/git-token-fix";
        using var temp = new TempDirectory("fix-site");
        var repo = GitRepository.Create(temp.Combine("repos", "site"));
        SitePushes.CommitProject(repo, "Alpha");
        await using var git = await SmartHttpGitServer.StartAsync(temp.Combine("repos"), ("x-access-token", "right-fix"));
        static StringContent Secret(string token) => new(
            $$$"""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"git-token-fix","namespace":"{{{PrivateReposSilo.Namespace}}}"},"stringData":{"token":"{{{token}}}"}}""",
            System.Text.Encoding.UTF8,
            "application/json");
        try
        {
            using (var created = await fixture.Silo.Http.PostAsync(new Uri($"/api/v1/namespaces/{PrivateReposSilo.Namespace}/secrets", UriKind.Relative), Secret("wrong-fix")))
            {
                Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
            }

            await fixture.PutResourceAsync(name, git.UrlFor("site"), Auth("git-token-fix"));
            await fixture.WaitForStatusAsync(name, s => PrivateReposSilo.HasCondition(s, "RefResolved", "False"), "RefResolved=False with the wrong token", () => fixture.Silo.Output);

            // Fixed through the API: the grain is told and reconciles now (its first retry would be 30 s away).
            using (var replaced = await fixture.Silo.Http.PutAsync(new Uri(path, UriKind.Relative), Secret("right-fix")))
            {
                Assert.True(replaced.IsSuccessStatusCode, await replaced.Content.ReadAsStringAsync());
            }

            await fixture.WaitForStatusAsync(name, s => PrivateReposSilo.HasCondition(s, "RefResolved", "True"), "RefResolved=True once the Secret is fixed", () => fixture.Silo.Output);
            Assert.Contains($"{PrivateReposSilo.Namespace}/{name}: secret git-token-fix changed; reconciling now", fixture.Silo.Output, StringComparison.Ordinal);
        }
        finally
        {
            await fixture.DeleteResourceAsync(name);
            using var deleted = await fixture.Silo.Http.DeleteAsync(new Uri(path, UriKind.Relative));
        }
    }

    [Fact]
    public async Task TokenFile_Set_AgentFetchesWithItAndNeverWithTheSilosToken()
    {
        const string name = "override-site";
        using var temp = new TempDirectory("override-site");
        var repo = GitRepository.Create(temp.Combine("repos", "site"));
        var first = SitePushes.CommitProject(repo, "Alpha");
        await using var git = await SmartHttpGitServer.StartAsync(temp.Combine("repos"), ("x-access-token", "right-override"));
        fixture.WriteSecret("git-token-override", "token", "right-override");
        await fixture.PutResourceAsync(name, git.UrlFor("site"), Auth("git-token-override"));

        // The silo holds the right token, the agent's file a wrong one: a failure proves the file was used, not the silo.
        var tokenFile = temp.Combine("git-token");
        await File.WriteAllTextAsync(tokenFile, "wrong-override\n");
        await using var agent = await fixture.StartAgentAsync(name, new Dictionary<string, string> { ["GIT_TOKEN_FILE"] = tokenFile });
        string Diagnostics() => $"--- silo ---\n{fixture.Silo.Output}\n--- agent ---\n{agent.Output}";
        try
        {
            await fixture.WaitForStatusAsync(name, s => PrivateReposSilo.GatewayStatus(s) == "Error", "the gateway reporting Error", Diagnostics);
            await agent.WaitForOutputAsync($"git: authentication failed for {git.UrlFor("site")}: the remote rejected the credentials", Diagnostics);
            Assert.Contains("GIT_TOKEN_FILE", agent.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("wrong-override", agent.Output, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Join(agent.Process.DataPath, "projects", "Alpha", "project.json")), "nothing synced with the wrong token\n" + agent.Output);

            // The file is read again before every fetch: fixed, the next desired state syncs without a restart.
            await File.WriteAllTextAsync(tokenFile, "right-override\n");
            var next = SitePushes.CommitProject(repo, "Beta");
            await fixture.PushAsync(name, next);
            await agent.WaitForFileAsync("projects/Beta/project.json", Diagnostics);
            Assert.NotEqual(first, next);
        }
        finally
        {
            await fixture.DeleteResourceAsync(name);
        }
    }

    private static string Auth(string secretName) => $"    auth:\n      token:\n        secretRef:\n          name: {secretName}\n          key: token";
}
