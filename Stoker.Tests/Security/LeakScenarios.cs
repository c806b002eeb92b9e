using Stoker.Tests.Api;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Security;

/// <summary>
/// The scenarios <see cref="CredentialLeakTests"/> runs, by name. A new way credentials travel (an agent fetching with
/// a silo-delivered token, a GitHub App) is one more entry: distinctive secrets registered with the scanner, the setup,
/// and a wait for the outcome.
/// </summary>
public static class LeakScenarios
{
    public static IReadOnlyDictionary<string, LeakScenario> All { get; } = new[]
    {
        new LeakScenario("token", TokenAsync),
        new LeakScenario("token-delivered-to-agent", TokenDeliveredAsync),
        new LeakScenario("github-app", GitHubAppAsync, NeedsGitHub: true),
        new LeakScenario("token-wrong", WrongTokenAsync),
        new LeakScenario("agent-token-wrong", AgentWrongTokenAsync),
        new LeakScenario("ssh-key", SshKeyAsync),
        new LeakScenario("url-userinfo", UrlUserInfoAsync),
        new LeakScenario("secret-applied-through-api", SecretThroughApiAsync),
    }.ToDictionary(s => s.Name, StringComparer.Ordinal);

    /// <summary>A string no program would print by chance.</summary>
    public static string Distinctive(string what) => $"{what}-{Guid.NewGuid():N}";

    /// <summary>Token in the secrets folder, basic auth on the server; the silo resolves, the agent fetches with its GIT_TOKEN_FILE.</summary>
    private static async Task TokenAsync(LeakContext context)
    {
        var token = Distinctive("leak-token");
        context.Scanner.Secret("token", token, "x-access-token");
        var server = context.OwnServer(await SmartHttpGitServer.StartAsync(context.CreateRepository(), ("x-access-token", token)));
        context.WriteSecret("git-token", "token", token + "\n");
        var tokenFile = context.Temp.Combine("git-token-file");
        await File.WriteAllTextAsync(tokenFile, token);
        await context.ApplyAsync(LeakContext.Resource(server.UrlFor("site"), LeakContext.TokenAuth("git-token", "token")));
        await context.WaitForConditionAsync("RefResolved", "True");
        await context.StartAgentAsync("gw-a", new Dictionary<string, string> { ["GIT_TOKEN_FILE"] = tokenFile });
        await context.WaitForGatewayAsync("gw-a", "Synced");
    }

    /// <summary>The agent has no token file: it asks its Gateway grain for the Secret's token before its fetch.</summary>
    private static async Task TokenDeliveredAsync(LeakContext context)
    {
        var token = Distinctive("leak-delivered-token");
        context.Scanner.Secret("token", token, "x-access-token");
        var server = context.OwnServer(await SmartHttpGitServer.StartAsync(context.CreateRepository(), ("x-access-token", token)));
        context.WriteSecret("git-token", "token", token + "\n");
        await context.ApplyAsync(LeakContext.Resource(server.UrlFor("site"), LeakContext.TokenAuth("git-token", "token")));
        await context.WaitForConditionAsync("RefResolved", "True");
        await context.StartAgentAsync("gw-a");
        await context.WaitForGatewayAsync("gw-a", "Synced");
    }

    /// <summary>
    /// A GitHub App: the silo exchanges a JWT signed with the App's key at the (fake) GitHub for an installation token,
    /// resolves the ref with it and hands it to the agent, which fetches with it. The key, the token: nowhere.
    /// </summary>
    private static async Task GitHubAppAsync(LeakContext context)
    {
        var github = context.GitHub!;
        var token = Distinctive("ghs-leak-installation-token");
        github.FixedToken = token;
        context.Scanner.Secret("installation token", token, "x-access-token");
        var app = github.WritePrivateKeySecret(context.SecretsPath, LeakContext.Namespace);
        context.Scanner.KeyFile("App private key", Path.Join(context.SecretsPath, LeakContext.Namespace, app.PrivateKeySecretRef.Name, app.PrivateKeySecretRef.Key));
        var server = context.OwnServer(await SmartHttpGitServer.StartAsync(context.CreateRepository(), ("x-access-token", token)));
        await context.ApplyAsync(LeakContext.Resource(server.UrlFor("site"), FakeGitHubApi.AuthYaml(app)));
        await context.WaitForConditionAsync("RefResolved", "True");
        await context.StartAgentAsync("gw-a");
        await context.WaitForGatewayAsync("gw-a", "Synced");
        Assert.Equal(1, github.Exchanges);
    }

    /// <summary>The Secret holds a wrong token: ls-remote fails with an authentication message, which must name neither token.</summary>
    private static async Task WrongTokenAsync(LeakContext context)
    {
        var right = Distinctive("leak-right-token");
        var wrong = Distinctive("leak-wrong-token");
        context.Scanner.Secret("right token", right, "x-access-token").Secret("wrong token", wrong, "x-access-token");
        var server = context.OwnServer(await SmartHttpGitServer.StartAsync(context.CreateRepository(), ("x-access-token", right)));
        context.WriteSecret("git-token", "token", wrong);
        await context.ApplyAsync(LeakContext.Resource(server.UrlFor("site"), LeakContext.TokenAuth("git-token", "token")));
        await context.WaitForConditionAsync("RefResolved", "False", "authentication");
    }

    /// <summary>The silo resolves with the right token; the agent's GIT_TOKEN_FILE is wrong: its fetch fails and it reports the error.</summary>
    private static async Task AgentWrongTokenAsync(LeakContext context)
    {
        var right = Distinctive("leak-right-token");
        var wrong = Distinctive("leak-agent-wrong-token");
        context.Scanner.Secret("right token", right, "x-access-token").Secret("agent's wrong token", wrong, "x-access-token");
        var server = context.OwnServer(await SmartHttpGitServer.StartAsync(context.CreateRepository(), ("x-access-token", right)));
        context.WriteSecret("git-token", "token", right);
        var tokenFile = context.Temp.Combine("git-token-file");
        await File.WriteAllTextAsync(tokenFile, wrong);
        await context.ApplyAsync(LeakContext.Resource(server.UrlFor("site"), LeakContext.TokenAuth("git-token", "token")));
        await context.WaitForConditionAsync("RefResolved", "True");
        await context.StartAgentAsync("gw-a", new Dictionary<string, string> { ["GIT_TOKEN_FILE"] = tokenFile });
        await context.WaitForGatewayAsync("gw-a", "Error");
    }

    /// <summary>An SSH deploy key and known_hosts in the secrets folder; the silo runs the system ssh with the key in a 0600 temp file.</summary>
    private static async Task SshKeyAsync(LeakContext context)
    {
        var server = context.OwnServer(await SshGitServer.StartAsync());
        context.Scanner.KeyFile("SSH private key", server.ClientKeyPath);
        var root = context.CreateRepository();
        context.WriteSecret("git-ssh", "identity", await File.ReadAllTextAsync(server.ClientKeyPath));
        context.WriteSecret("git-ssh", "known_hosts", await File.ReadAllTextAsync(server.KnownHostsPath));
        await context.ApplyAsync(LeakContext.Resource(server.UrlFor(Path.Join(root, "site")),
            "    auth:\n      sshKey:\n        secretRef: {name: git-ssh, key: identity}\n        knownHosts:\n          secretRef: {name: git-ssh, key: known_hosts}"));
        await context.WaitForConditionAsync("RefResolved", "True");

        // The agent gets the key (and known_hosts) from its Gateway grain and runs ssh with it in a 0600 temp file.
        await context.StartAgentAsync("gw-a");
        await context.WaitForGatewayAsync("gw-a", "Synced");
    }

    /// <summary>
    /// <c>spec.git.repo</c> carries <c>user:password@</c>: status, events, metrics (cr_info's git_repo label) and the
    /// agent show it redacted, though the URL itself is what both fetch with.
    /// </summary>
    private static async Task UrlUserInfoAsync(LeakContext context)
    {
        var user = Distinctive("leak-user");
        var password = Distinctive("leak-password");
        context.Scanner.Secret("URL user", user).Secret("URL password", password, user);
        var server = context.OwnServer(await SmartHttpGitServer.StartAsync(context.CreateRepository(), (user, password)));
        var url = server.UrlFor("site").Replace("http://", $"http://{user}:{password}@", StringComparison.Ordinal);
        // spec.git.repo is returned as applied to whoever may read the resource (docs/security.md): only that field is exempt.
        context.AppliedRepoUrl = url;
        await context.ApplyAsync(LeakContext.Resource(url));
        await context.WaitForConditionAsync("RefResolved", "True");
        await context.StartAgentAsync("gw-a");
        await context.WaitForGatewayAsync("gw-a", "Synced");
        var metrics = await context.Silo.GetStringAsync("/metrics");
        Assert.Contains($"git_repo=\"{server.UrlFor("site").Replace("http://", "http://***@", StringComparison.Ordinal)}\"", metrics, StringComparison.Ordinal);
    }

    /// <summary>
    /// The token Secret applied as a v1 Secret with <c>stoker apply -f</c>: an admin may read it back through the Secrets
    /// API (not collected), but the audit record of the apply, logs and events hold no value.
    /// </summary>
    private static async Task SecretThroughApiAsync(LeakContext context)
    {
        var token = Distinctive("leak-api-token");
        context.Scanner.Secret("token", token, "x-access-token");
        var server = context.OwnServer(await SmartHttpGitServer.StartAsync(context.CreateRepository(), ("x-access-token", token)));
        var file = context.Temp.Combine("secret.yaml");
        await File.WriteAllTextAsync(file, $"""
            apiVersion: v1
            kind: Secret
            metadata:
              name: git-token
              namespace: {LeakContext.Namespace}
            stringData:
              token: "{token}"
            """);
        var applied = await CliProcess.RunAsync(context.Silo.Address, ["apply", "-f", file], statePath: context.Silo.StatePath);
        Assert.True(applied.ExitCode == 0, applied.Stdout + applied.Stderr);
        context.Scanner.Add("stoker apply -f secret.yaml", applied.Stdout + applied.Stderr);
        await context.ApplyAsync(LeakContext.Resource(server.UrlFor("site"), LeakContext.TokenAuth("git-token", "token")));
        await context.WaitForConditionAsync("RefResolved", "True");
        Assert.Contains("\"resource\":\"secrets\"", await File.ReadAllTextAsync(context.AuditLog), StringComparison.Ordinal);
    }
}
