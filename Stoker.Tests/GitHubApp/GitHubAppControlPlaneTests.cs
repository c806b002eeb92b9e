using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Tests.Api;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.GitHubApp;

/// <summary>
/// Issue 16, point 1, against the real <c>stoker-silo</c> process: a GatewaySync with <c>auth.githubApp</c> gets an
/// installation token from <see cref="FakeGitHubApi"/> (trusted through <c>Stoker:GitHubApp:CaFile</c>) and resolves
/// its ref on a smart-HTTP server that requires that token; GitHub's refusal surfaces as
/// <c>RefResolved=False/GitHubAppExchangeFailed</c> with GitHub's message. Neither the token nor the key is logged.
/// </summary>
public sealed class GitHubAppControlPlaneTests
{
    [Fact]
    public async Task Silo_ResolvesRefWithInstallationToken_GitHubRefusal_GitHubAppExchangeFailed()
    {
        using var temp = new TempDirectory("github-app-silo");
        var secrets = Directory.CreateDirectory(temp.Combine("secrets")).FullName;
        await using var github = await FakeGitHubApi.StartAsync();
        github.FixedToken = "ghs_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(18));
        var repo = GitRepository.Create(temp.Combine(Path.Join("git", "plant.git")));
        repo.WriteFile("projects/A/project.json", "{}");
        var commit = repo.Commit("first");
        await using var git = await SmartHttpGitServer.StartAsync(temp.Combine("git"), ("x-access-token", github.FixedToken));
        await using var silo = await SiloProcess.StartAsync(new SiloProcessSettings
        {
            Name = "github-app",
            Environment = new Dictionary<string, string>(github.SiloEnvironment) { ["Stoker__Silo__SecretsPath"] = secrets },
        });

        // Refused by GitHub first: the condition carries GitHub's own message.
        github.FailWith(401, "A JSON web token could not be decoded");
        var refused = await ApplyAsync(silo, github, secrets, "refused", git.UrlFor("plant.git"));
        var failed = await Eventually.Until(() => RefResolvedAsync(silo, "refused"), c => c?["status"]?.ToString() == "False", TimeSpan.FromSeconds(60),
            "RefResolved=False for the refused exchange\n" + silo.Output);
        Assert.Equal("GitHubAppExchangeFailed", (string?)failed!["reason"]);
        Assert.Contains("resolving GitHub App auth: GitHub API returned 401: {\"message\":\"A JSON web token could not be decoded\"", (string?)failed["message"], StringComparison.Ordinal);

        // Accepted: the token opens the repository, and the expiry gauge is published.
        github.Succeed();
        await ApplyAsync(silo, github, secrets, "accepted", git.UrlFor("plant.git"));
        var resolved = await Eventually.Until(() => RefResolvedAsync(silo, "accepted"), c => c?["status"]?.ToString() == "True", TimeSpan.FromSeconds(60),
            "RefResolved=True with the installation token\n" + silo.Output);
        Assert.Contains(commit, (string?)resolved!["message"], StringComparison.Ordinal);
        Assert.Contains(github.FixedToken, github.IssuedTokens);
        Assert.All(github.Requests.Where(r => r.Problem is null), r => Assert.Equal(github.AppId.ToString(CultureInfo.InvariantCulture), r.Claims!["iss"].GetString()));

        var metrics = await silo.GetStringAsync("/metrics");
        Assert.Contains(
            $"stoker_controller_github_app_token_expiry_timestamp_seconds{{app_id=\"{github.AppId}\",installation_id=\"{github.InstallationId}\"}}",
            metrics, StringComparison.Ordinal);

        var seen = silo.Output + metrics + refused;
        Assert.DoesNotContain(github.FixedToken, seen, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", seen, StringComparison.Ordinal);
        Assert.All(github.Requests, r => Assert.DoesNotContain(r.Authorization["Bearer ".Length..], seen, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Silo_PollingOff_PollsAgainAtTheTokensRefreshPoint()
    {
        using var temp = new TempDirectory("github-app-refresh");
        var secrets = Directory.CreateDirectory(temp.Combine("secrets")).FullName;
        await using var github = await FakeGitHubApi.StartAsync();
        // Due for refresh two seconds after it is issued: each refresh is a pass the schedule made, as no poll is set.
        github.TokenLifetime = TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(2);
        github.FixedToken = "ghs_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(18));
        var repo = GitRepository.Create(temp.Combine(Path.Join("git", "plant.git")));
        repo.WriteFile("projects/A/project.json", "{}");
        repo.Commit("first");
        await using var git = await SmartHttpGitServer.StartAsync(temp.Combine("git"), ("x-access-token", github.FixedToken));
        await using var silo = await SiloProcess.StartAsync(new SiloProcessSettings
        {
            Name = "github-app-refresh",
            Environment = new Dictionary<string, string>(github.SiloEnvironment) { ["Stoker__Silo__SecretsPath"] = secrets },
        });

        await ApplyAsync(silo, github, secrets, "refreshing", git.UrlFor("plant.git"));

        await Eventually.Until(() => Task.FromResult(github.Exchanges), n => n >= 3, TimeSpan.FromSeconds(60),
            "passes at the refresh point fetched new tokens with polling off\n" + silo.Output);
        Assert.Equal("True", (await RefResolvedAsync(silo, "refreshing"))?["status"]?.ToString());
    }

    private static async Task<string> ApplyAsync(SiloProcess silo, FakeGitHubApi github, string secrets, string name, string repo)
    {
        const string ns = "plant";
        var app = github.WritePrivateKeySecret(secrets, ns);
        Directory.CreateDirectory(Path.Join(secrets, ns, "ignition-api-key"));
        await File.WriteAllTextAsync(Path.Join(secrets, ns, "ignition-api-key", "apiKey"), "stoker:secret");
        var yaml = $"""
            apiVersion: stoker.io/v1alpha1
            kind: GatewaySync
            metadata:
              name: {name}
              namespace: {ns}
            spec:
              git:
                repo: "{repo}"
                ref: main
            {FakeGitHubApi.AuthYaml(app)}
              polling:
                enabled: false
              gateway:
                api:
                  secretName: ignition-api-key
              sync:
                profiles:
                  default:
                    mappings:
                      - source: projects
                        destination: projects
            """;
        using var content = new StringContent(yaml, Encoding.UTF8, "application/yaml");
        using var applied = await silo.Http.PutAsync(new Uri(ApplyApiHost.ItemPath(ns, name), UriKind.Relative), content);
        var body = await applied.Content.ReadAsStringAsync();
        Assert.True(applied.IsSuccessStatusCode, body);
        return body;
    }

    private static async Task<JsonNode?> RefResolvedAsync(SiloProcess silo, string name)
    {
        var resource = JsonNode.Parse(await silo.GetStringAsync(ApplyApiHost.ItemPath("plant", name)));
        return resource?["status"]?["conditions"]?.AsArray().FirstOrDefault(c => (string?)c?["type"] == ConditionTypes.RefResolved);
    }
}
