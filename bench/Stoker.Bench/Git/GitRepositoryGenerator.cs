using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Stoker.Bench.Git;

/// <summary>The shape of the generated repository.</summary>
/// <param name="Files">Files in the tip commit.</param>
/// <param name="Commits">Commits on <c>main</c>: the first adds every file, each later one edits <see cref="FilesPerCommit"/> of them.</param>
/// <param name="FilesPerCommit">Files each later commit (and the update commit) edits.</param>
public sealed record GitRepositoryShape(int Files, int Commits, int FilesPerCommit)
{
    /// <summary>Files per leaf folder and leaf folders per top-level folder: <c>mod-NN/pkg-NN/unit-NNN.conf</c>.</summary>
    public const int FilesPerFolder = 100;

    public const int FoldersPerModule = 25;

    /// <summary>Parses <c>--size</c>: the file count; commits scale with it (one per 50 files, at least 20).</summary>
    public static GitRepositoryShape Parse(string? size, bool smoke)
    {
        if (size is null)
        {
            return smoke ? new GitRepositoryShape(500, 20, 10) : new GitRepositoryShape(50_000, 1_000, 20);
        }

        if (!int.TryParse(size.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var files) || files is < 100 or > 2_000_000)
        {
            throw new ArgumentException($"--size: \"{size}\": must be a file count between 100 and 2000000 (commits scale with it: one per 50 files, at least 20)");
        }

        return new GitRepositoryShape(files, Math.Max(20, files / 50), Math.Min(20, Math.Max(1, files / 50)));
    }
}

/// <summary>What the generator made: a bare repository whose <c>main</c> is at <see cref="Base"/>, and a further commit.</summary>
/// <param name="Path">The bare repository.</param>
/// <param name="Base">The tip of the generated history.</param>
/// <param name="Update">One more commit on top of <see cref="Base"/> (under <c>refs/bench/update</c>): the incremental fetch moves <c>main</c> to it.</param>
/// <param name="Update2">One more on top of <see cref="Update"/> (<c>refs/bench/update2</c>), for a second incremental fetch.</param>
public sealed record GeneratedRepository(string Path, string Base, string Update, string Update2, long PackBytes);

/// <summary>
/// Builds a large repository in seconds by writing a <c>git fast-import</c> stream: the first commit adds every file,
/// each later one edits a few lines of a few files (so the history deltifies like real edits). Content, names,
/// authors and dates come from fixed seeds, so the same shape gives the same commit ids on every machine.
/// </summary>
public static class GitRepositoryGenerator
{
    private const long Epoch = 1_735_689_600; // 2025-01-01T00:00:00Z
    private const int LinesPerFile = 24;

    public static async Task<GeneratedRepository> GenerateAsync(string path, GitRepositoryShape shape, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shape);
        await GitAsync(null, cancellationToken, "init", "-q", "--bare", "-b", "main", path);
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = path,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("fast-import");
        start.ArgumentList.Add("--quiet");
        start.ArgumentList.Add("--depth=50");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start git fast-import");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await using (var input = new BufferedStream(process.StandardInput.BaseStream, 1 << 20))
            {
                await WriteStreamAsync(input, shape, cancellationToken);
            }

            await process.WaitForExitAsync(cancellationToken);
        }
        catch
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            throw;
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"git fast-import exited with {process.ExitCode}: {(await stderr).Trim()} {(await stdout).Trim()}");
        }

        var baseCommit = await GitAsync(path, cancellationToken, "rev-parse", "refs/heads/main");
        var update = await GitAsync(path, cancellationToken, "rev-parse", "refs/bench/update");
        var update2 = await GitAsync(path, cancellationToken, "rev-parse", "refs/bench/update2");
        var packBytes = Directory.EnumerateFiles(Path.Join(path, "objects", "pack"), "*.pack").Sum(f => new FileInfo(f).Length);
        return new GeneratedRepository(path, baseCommit, update, update2, packBytes);
    }

    /// <summary>Runs git and returns its trimmed stdout; throws with its stderr when it fails.</summary>
    public static async Task<string> GitAsync(string? directory, CancellationToken cancellationToken, params string[] args)
    {
        var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (directory is not null)
        {
            start.ArgumentList.Add("-C");
            start.ArgumentList.Add(directory);
        }

        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start git");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode == 0
            ? (await stdout).Trim()
            : throw new InvalidOperationException($"git {string.Join(' ', args)} exited with {process.ExitCode}: {(await stderr).Trim()}");
    }

    private static async Task WriteStreamAsync(Stream output, GitRepositoryShape shape, CancellationToken cancellationToken)
    {
        var versions = new int[shape.Files];
        var random = new Random(8);

        // Commit 1: every file.
        await WriteCommitHeaderAsync(output, "refs/heads/main", 1, parent: null, $"Add {shape.Files} units", cancellationToken);
        for (var file = 0; file < shape.Files; file++)
        {
            await WriteFileAsync(output, file, 0, cancellationToken);
        }

        // Later commits: a few files each, a line or two changed.
        for (var n = 2; n <= shape.Commits; n++)
        {
            var edited = Pick(random, shape);
            await WriteCommitHeaderAsync(output, "refs/heads/main", n, parent: n - 1, $"Tune {edited.Length} units (change {n})", cancellationToken);
            foreach (var file in edited)
            {
                await WriteFileAsync(output, file, ++versions[file], cancellationToken);
            }
        }

        // The update the incremental fetch brings: one more commit of the same size, kept off main until then.
        var update = Pick(random, shape);
        await WriteCommitHeaderAsync(output, "refs/bench/update", shape.Commits + 1, parent: shape.Commits, $"Tune {update.Length} units (update)", cancellationToken);
        foreach (var file in update)
        {
            await WriteFileAsync(output, file, ++versions[file], cancellationToken);
        }

        // And one more on top of it, for a second incremental fetch (over the other transport).
        var second = Pick(random, shape);
        await WriteCommitHeaderAsync(output, "refs/bench/update2", shape.Commits + 2, parent: shape.Commits + 1, $"Tune {second.Length} units (second update)", cancellationToken);
        foreach (var file in second)
        {
            await WriteFileAsync(output, file, ++versions[file], cancellationToken);
        }

        await output.WriteAsync("done\n"u8.ToArray(), cancellationToken);
    }

    private static int[] Pick(Random random, GitRepositoryShape shape)
    {
        var picked = new HashSet<int>();
        while (picked.Count < Math.Min(shape.FilesPerCommit, shape.Files))
        {
            picked.Add(random.Next(shape.Files));
        }

        return [.. picked.Order()];
    }

    private static async Task WriteCommitHeaderAsync(Stream output, string reference, int mark, int? parent, string message, CancellationToken cancellationToken)
    {
        var header = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"commit {reference}\n")
            .Append(CultureInfo.InvariantCulture, $"mark :{mark}\n")
            .Append(CultureInfo.InvariantCulture, $"committer Stoker Bench <bench@stoker.invalid> {Epoch + (mark * 60L)} +0000\n");
        AppendData(header, message);
        if (parent is { } p)
        {
            header.Append(CultureInfo.InvariantCulture, $"from :{p}\n");
        }

        await output.WriteAsync(Encoding.UTF8.GetBytes(header.ToString()), cancellationToken);
    }

    private static async Task WriteFileAsync(Stream output, int file, int version, CancellationToken cancellationToken)
    {
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"M 100644 inline {FilePath(file)}\n");
        AppendData(text, FileContent(file, version));
        await output.WriteAsync(Encoding.UTF8.GetBytes(text.ToString()), cancellationToken);
    }

    private static void AppendData(StringBuilder target, string data) =>
        target.Append(CultureInfo.InvariantCulture, $"data {Encoding.UTF8.GetByteCount(data)}\n").Append(data).Append('\n');

    public static string FilePath(int file)
    {
        var folder = file / GitRepositoryShape.FilesPerFolder;
        return string.Create(CultureInfo.InvariantCulture,
            $"mod-{folder / GitRepositoryShape.FoldersPerModule:00}/pkg-{folder % GitRepositoryShape.FoldersPerModule:00}/unit-{file % GitRepositoryShape.FilesPerFolder:000}.conf");
    }

    /// <summary>About 1 KB of settings: the same lines for every version of a file but one, which each version rewrites.</summary>
    private static string FileContent(int file, int version)
    {
        var random = new Random(file);
        var text = new StringBuilder(1200);
        text.Append(CultureInfo.InvariantCulture, $"# unit {file}\nrevision = {version}\n");
        var edited = version == 0 ? -1 : (version * 7) % LinesPerFile;
        for (var line = 0; line < LinesPerFile; line++)
        {
            var key = random.Next(1 << 20);
            var value = random.NextInt64(1L << 40);
            var threshold = random.NextDouble() * 1000;
            if (line == edited)
            {
                value ^= version * 0x9E3779B1L;
            }

            text.Append(CultureInfo.InvariantCulture, $"setting.{key:x5}.{line:00} = {value:x10} threshold={threshold:0.000} enabled={(value & 1) == 0}\n");
        }

        return text.ToString();
    }
}
