using Stoker.Demo.Processes;

namespace Stoker.Demo.Tour;

/// <summary>What a developer does in the demo: clone the repository, change a file, commit, push over smart HTTP.</summary>
public sealed class DemoGit(string repositoryUrl, string checkoutPath)
{
    /// <summary>The shared, templated file the change edits: every gateway renders it, so the change reaches all.</summary>
    public const string ChangedFile = "shared/config/resources/core/ignition/system-properties/config.json";
    public const string ReleaseBefore = "release 1";
    public const string ReleaseAfter = "release 2";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static readonly Dictionary<string, string> Identity = new()
    {
        ["GIT_AUTHOR_NAME"] = "Stoker demo",
        ["GIT_AUTHOR_EMAIL"] = "demo@stoker.invalid",
        ["GIT_COMMITTER_NAME"] = "Stoker demo",
        ["GIT_COMMITTER_EMAIL"] = "demo@stoker.invalid",
        ["GIT_TERMINAL_PROMPT"] = "0",
        ["GIT_CONFIG_NOSYSTEM"] = "1",
    };

    /// <summary>The commit <c>main</c> points at on the server.</summary>
    public async Task<string> HeadAsync(CancellationToken cancellationToken)
    {
        var result = await GitAsync(null, cancellationToken, "ls-remote", repositoryUrl, "refs/heads/main");
        var line = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return line?.Split('\t')[0] is { Length: 40 } commit ? commit : throw new DemoException($"git ls-remote {repositoryUrl}: no refs/heads/main in: {result.Output}");
    }

    /// <summary>Clones, edits <see cref="ChangedFile"/>, commits and pushes; returns the new commit.</summary>
    public async Task<string> PushChangeAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(checkoutPath))
        {
            await GitAsync(null, cancellationToken, "clone", "-q", repositoryUrl, checkoutPath);
        }

        var path = Path.Join(checkoutPath, ChangedFile);
        var text = await File.ReadAllTextAsync(path, cancellationToken);
        if (!text.Contains(ReleaseBefore, StringComparison.Ordinal))
        {
            throw new DemoException($"{ChangedFile}: \"{ReleaseBefore}\" not found in the demo repository; was demo/repo edited?");
        }

        await File.WriteAllTextAsync(path, text.Replace(ReleaseBefore, ReleaseAfter, StringComparison.Ordinal), cancellationToken);
        await GitAsync(checkoutPath, cancellationToken, "commit", "-q", "-a", "-m", "Release 2 of the shared system properties");
        await GitAsync(checkoutPath, cancellationToken, "push", "-q", "origin", "main");
        return (await GitAsync(checkoutPath, cancellationToken, "rev-parse", "HEAD")).Output.Trim();
    }

    private static async Task<CommandResult> GitAsync(string? workingDirectory, CancellationToken cancellationToken, params string[] arguments)
    {
        var result = await Command.RunAsync("git", arguments, Timeout, workingDirectory, Identity, cancellationToken);
        return result.Succeeded ? result : throw new DemoException($"git {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.Output}");
    }
}
