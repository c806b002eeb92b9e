using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Stoker.Sync;

/// <summary>Loads and saves the manifest of one data directory inside a state directory.</summary>
internal sealed class ManifestStore(string stateDirectory, string dataDirectory)
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    // The manifest this process last loaded or saved, with the file's length and modification time then. The agent
    // syncs the same data directory again and again; parsing 20,000 entries of JSON each time cost 0.3-1 s of a
    // re-sync. A file changed on disk since (another process, a test) no longer matches and is read again.
    // Manifests are never modified once built.
    private static readonly Lock CacheGate = new();
    private static (string Path, long Length, long Ticks, SyncManifest Manifest)? _cache;

    public string FilePath { get; } = Path.Join(
        stateDirectory,
        "manifest-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(dataDirectory)))[..16] + ".json");

    /// <summary>The manifest, or null when there is none or it cannot be trusted (then the sync compares everything).</summary>
    public SyncManifest? Load()
    {
        try
        {
            var file = new FileInfo(FilePath);
            if (!file.Exists)
            {
                return null;
            }

            lock (CacheGate)
            {
                if (_cache is { } cached && cached.Path == FilePath && cached.Length == file.Length && cached.Ticks == file.LastWriteTimeUtc.Ticks)
                {
                    return cached.Manifest;
                }
            }

            using var stream = file.OpenRead();
            var manifest = JsonSerializer.Deserialize<SyncManifest>(stream, Options);
            if (manifest is { Version: SyncManifest.CurrentVersion } && manifest.DataDirectory == dataDirectory)
            {
                Remember(file, manifest);
                return manifest;
            }

            return null;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null; // a damaged manifest only costs a full compare
        }
    }

    public void Save(SyncManifest manifest)
    {
        Directory.CreateDirectory(stateDirectory);
        AtomicFile.Write(FilePath, stream => JsonSerializer.Serialize(stream, manifest, Options), executable: false, durable: true);
        Remember(new FileInfo(FilePath), manifest);
    }

    private void Remember(FileInfo file, SyncManifest manifest)
    {
        lock (CacheGate)
        {
            _cache = (FilePath, file.Length, file.LastWriteTimeUtc.Ticks, manifest);
        }
    }
}
