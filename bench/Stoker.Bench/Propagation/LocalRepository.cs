using System.Diagnostics;

namespace Stoker.Bench.Propagation;

/// <summary>A small local git repository (branch <c>main</c>) the GatewaySyncs follow; each commit changes one file.</summary>
public sealed class LocalRepository
{
    private int _changes;

    private LocalRepository(string path) => Path = path;

    public string Path { get; }

    public static async Task<LocalRepository> CreateAsync(string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(System.IO.Path.Join(path, "projects", "site"));
        var repo = new LocalRepository(path);
        await repo.GitAsync(cancellationToken, "init", "-q", "-b", "main");
        await File.WriteAllTextAsync(System.IO.Path.Join(path, "projects", "site", "project.json"), "{\"title\":\"site\"}\n", cancellationToken);
        await repo.GitAsync(cancellationToken, "add", "-A");
        await repo.GitAsync(cancellationToken, "commit", "-q", "-m", "initial");
        return repo;
    }

    /// <summary>Commits a change and returns the new commit id.</summary>
    public async Task<string> CommitChangeAsync(CancellationToken cancellationToken)
    {
        var n = ++_changes;
        await File.WriteAllTextAsync(System.IO.Path.Join(Path, "projects", "site", "change.txt"), $"change {n}\n", cancellationToken);
        await GitAsync(cancellationToken, "add", "-A");
        await GitAsync(cancellationToken, "commit", "-q", "-m", $"change {n}");
        return await HeadAsync(cancellationToken);
    }

    public Task<string> HeadAsync(CancellationToken cancellationToken) => GitAsync(cancellationToken, "rev-parse", "HEAD");

    private async Task<string> GitAsync(CancellationToken cancellationToken, params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = Path, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-c", "user.name=bench", "-c", "user.email=bench@example.invalid", "-c", "commit.gpgsign=false" }.Concat(args))
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start git");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode == 0
            ? (await stdout).Trim()
            : throw new InvalidOperationException($"git {string.Join(' ', args)} in {Path} exited with {process.ExitCode}: {(await stderr).Trim()}");
    }
}
