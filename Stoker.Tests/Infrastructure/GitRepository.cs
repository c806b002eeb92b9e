using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Stoker.Tests.Infrastructure;

/// <summary>
/// A real repository with a work tree, driven by the git command line. Commits are reproducible: fixed author and
/// committer, and a commit date that advances one second per commit of this instance, so nothing depends on the
/// machine's git configuration or clock.
/// </summary>
public sealed class GitRepository : IDisposable
{
    private static readonly TimeSpan GitTimeout = TimeSpan.FromMinutes(2);
    private static readonly DateTimeOffset FirstCommitDate = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory? _owned;
    private int _commits;

    private GitRepository(string path, TempDirectory? owned)
    {
        Path = path;
        _owned = owned;
    }

    public string Path { get; }

    public static GitRepository Create(string? path = null, string initialBranch = "main")
    {
        var owned = path is null ? new TempDirectory("repo") : null;
        var root = path ?? owned!.Path;
        try
        {
            Directory.CreateDirectory(root);
            RunGit(root, "init", "--quiet", $"--initial-branch={initialBranch}");
            return new GitRepository(root, owned);
        }
        catch
        {
            owned?.Dispose();
            throw;
        }
    }

    public string WriteFile(string relativePath, string content) =>
        WriteBytes(relativePath, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(content));

    public string WriteBytes(string relativePath, byte[] content)
    {
        var full = FullPath(relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, content);
        return full;
    }

    public void Delete(string relativePath)
    {
        var full = FullPath(relativePath);
        var info = new FileInfo(full);
        if (info.LinkTarget is null && Directory.Exists(full))
        {
            Directory.Delete(full, recursive: true);
        }
        else if (info.Exists || info.LinkTarget is not null)
        {
            File.Delete(full);
        }
        else
        {
            throw new FileNotFoundException($"cannot delete \"{relativePath}\": no such file or folder in {Path}", full);
        }
    }

    public void Symlink(string relativePath, string target)
    {
        var full = FullPath(relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.CreateSymbolicLink(full, target);
    }

    /// <summary>Stages everything (<c>git add -A</c>) and commits, empty or not; returns the full commit SHA.</summary>
    public string Commit(string message)
    {
        Git("add", "-A");
        var date = FirstCommitDate.AddSeconds(Interlocked.Increment(ref _commits))
            .ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        Run(Path, ["commit", "--quiet", "--allow-empty", "--no-verify", "-m", message],
            new Dictionary<string, string> { ["GIT_AUTHOR_DATE"] = date, ["GIT_COMMITTER_DATE"] = date });
        return Head();
    }

    public void Tag(string name, string? annotatedMessage = null)
    {
        if (annotatedMessage is null)
        {
            Git("tag", name);
        }
        else
        {
            Git("tag", "--annotate", name, "-m", annotatedMessage);
        }
    }

    public void Branch(string name, string? startPoint = null)
    {
        if (startPoint is null)
        {
            Git("branch", name);
        }
        else
        {
            Git("branch", name, startPoint);
        }
    }

    public void Checkout(string name) => Git("checkout", "--quiet", name);

    public string Head() => RevParse("HEAD");

    /// <summary><c>git rev-parse --verify</c>; an annotated tag yields the tag object, <c>tag^{commit}</c> its commit.</summary>
    public string RevParse(string rev) => Git("rev-parse", "--verify", rev);

    /// <summary>Runs git in this repository; returns stdout without trailing line breaks, throws with stderr on failure.</summary>
    public string Git(params string[] args) => RunGit(Path, args);

    public static string RunGit(string workingDirectory, params string[] args) => Run(workingDirectory, args, extraEnvironment: null);

    public void Dispose() => _owned?.Dispose();

    private string FullPath(string relativePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(relativePath);
        if (System.IO.Path.IsPathRooted(relativePath))
        {
            throw new ArgumentException($"path \"{relativePath}\" must be relative to the repository", nameof(relativePath));
        }

        return System.IO.Path.Combine(Path, relativePath);
    }

    private static string Run(string workingDirectory, IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? extraEnvironment)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Isolated from the machine: no system or user config, no prompts, a fixed identity.
        var env = start.Environment;
        env["GIT_CONFIG_NOSYSTEM"] = "1";
        env["GIT_CONFIG_GLOBAL"] = "/dev/null";
        env["GIT_TERMINAL_PROMPT"] = "0";
        env["GIT_AUTHOR_NAME"] = "Stoker Tests";
        env["GIT_AUTHOR_EMAIL"] = "tests@stoker.invalid";
        env["GIT_COMMITTER_NAME"] = "Stoker Tests";
        env["GIT_COMMITTER_EMAIL"] = "tests@stoker.invalid";
        env["LC_ALL"] = "C";
        env.Remove("GIT_DIR");
        env.Remove("GIT_WORK_TREE");
        if (extraEnvironment is not null)
        {
            foreach (var (key, value) in extraEnvironment)
            {
                env[key] = value;
            }
        }

        using var process = Process.Start(start)
            ?? throw new InvalidOperationException("could not start git");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(GitTimeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"git {string.Join(' ', args)} (in {workingDirectory}) did not finish within {GitTimeout.TotalSeconds}s");
        }

        process.WaitForExit();
        var output = stdout.GetAwaiter().GetResult();
        var error = stderr.GetAwaiter().GetResult();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"git {string.Join(' ', args)} (in {workingDirectory}) exited with {process.ExitCode}: {error.Trim()}");
        }

        return output.TrimEnd('\r', '\n');
    }
}
