using System.Diagnostics;
using System.Globalization;
using Stoker.Sync.Git;
using Stoker.Sync;
using Stoker.Grains.Interfaces.Messages;
using Stoker.Grains.Interfaces.Profiles;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Sync;

/// <summary>
/// A real git repository, a data directory inside its own parent folder (so tests can prove nothing appears
/// beside it), and a separate state folder for the manifest; runs the engine against a commit of the repository.
/// </summary>
internal sealed class SyncHarness : IDisposable
{
    private readonly TempDirectory _root = new("sync");
    private readonly TempDirectory _state = new("sync-state");

    public SyncHarness()
    {
        Repo = GitRepository.Create();
        Directory.CreateDirectory(Data);
    }

    public GitRepository Repo { get; }

    /// <summary>The folder holding the data directory (and, in escape tests, the decoys outside it).</summary>
    public string Parent => _root.Path;

    public string Data => Path.Join(_root.Path, "data");

    public string State => _state.Path;

    public static TemplateContext DefaultContext { get; } = new()
    {
        GatewayName = "gw-site1",
        PodName = "ignition-0",
        PodOrdinal = 0,
        Namespace = "ns",
        Ref = "main",
        Commit = "",
        CRName = "my-stoker",
    };

    public static ResolvedProfile Profile(params Mapping[] mappings) => ProfileResolver.Resolve(null, new SyncProfile { Mappings = mappings });

    public static ResolvedProfile Profile(IEnumerable<string> excludes, params Mapping[] mappings) =>
        ProfileResolver.Resolve(null, new SyncProfile { Mappings = mappings, ExcludePatterns = [.. excludes] });

    public static Mapping Dir(string source, string destination) => new() { Source = source, Destination = destination };

    public static Mapping File(string source, string destination) => new() { Source = source, Destination = destination, Type = MappingType.File };

    public string Commit(string message = "change") => Repo.Commit(message);

    public SyncResult Sync(
        ResolvedProfile profile, TemplateContext? context = null, bool dryRun = false, string? commit = null, bool useManifest = true, IReadOnlyCollection<string>? changes = null)
    {
        commit ??= Repo.Head();
        using var tree = new GitCommitTree(Repo.Path, commit);
        return new SyncEngine().Run(new SyncRequest
        {
            Source = tree,
            DataDirectory = Data,
            Profile = profile,
            Context = (context ?? DefaultContext) with { Commit = commit },
            DryRun = dryRun,
            StateDirectory = useManifest ? State : null,
            ChangedSinceManifest = changes,
        });
    }

    public SyncException SyncFails(ResolvedProfile profile, TemplateContext? context = null, bool dryRun = false) =>
        Assert.Throws<SyncException>(() => Sync(profile, context, dryRun));

    public string Live(string relative) => Path.Join(Data, relative);

    public void WriteLive(string relative, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Live(relative))!);
        System.IO.File.WriteAllText(Live(relative), content);
    }

    public string ReadLive(string relative) => System.IO.File.ReadAllText(Live(relative));

    public bool LiveExists(string relative) => System.IO.File.Exists(Live(relative)) || Directory.Exists(Live(relative));

    /// <summary>Every entry under <paramref name="folder"/>: relative path → kind, content hash or link target.</summary>
    public static SortedDictionary<string, string> Snapshot(string folder, string? skip = null)
    {
        var snapshot = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(folder))
        {
            return snapshot;
        }

        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            var relative = Path.GetRelativePath(folder, entry.FullName);
            if (skip is not null && (relative == skip || relative.StartsWith(skip + "/", StringComparison.Ordinal)))
            {
                continue;
            }

            snapshot[relative] = entry.LinkTarget is { } target ? "link:" + target
                : entry is DirectoryInfo ? "dir"
                : "file:" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.IO.File.ReadAllBytes(entry.FullName)));
        }

        return snapshot;
    }

    /// <summary>Inode and nanosecond mtime of every regular file under the data directory, from one <c>find</c>.</summary>
    public Dictionary<string, string> FileIdentities()
    {
        var start = new ProcessStartInfo("find", [Data, "-type", "f", "-printf", "%i %T@ %P\\n"]) { RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', 3))
            .ToDictionary(parts => parts[2], parts => parts[0] + " " + parts[1], StringComparer.Ordinal);
    }

    public static string Number(int i) => i.ToString("D4", CultureInfo.InvariantCulture);

    public void Dispose()
    {
        Repo.Dispose();
        _root.Dispose();
        _state.Dispose();
    }
}
