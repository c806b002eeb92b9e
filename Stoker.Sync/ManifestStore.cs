using System.Security.Cryptography;
using System.Text;

namespace Stoker.Sync;

/// <summary>Loads and saves the manifest of one data directory inside a state directory.</summary>
internal sealed class ManifestStore(string stateDirectory, string dataDirectory)
{
    /// <summary>No manifest of a real data directory comes near this; a bigger file is not read into memory.</summary>
    private const long MaxBytes = 1L << 30;

    // The manifest this process last loaded or saved, with the file's length and modification time then. The agent
    // syncs the same data directory again and again; parsing 20,000 entries each time cost 0.3-1 s of a
    // re-sync. A file changed on disk since (another process, a test) no longer matches and is read again.
    // Manifests are never modified once built.
    private static readonly Lock CacheGate = new();
    private static (string Path, long Length, long Ticks, SyncManifest Manifest)? _cache;

    public string FilePath { get; } = Path.Join(
        stateDirectory,
        "manifest-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(dataDirectory)))[..16] + ".bin");

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

            if (file.Length > MaxBytes)
            {
                return null;
            }

            var manifest = ManifestCodec.Read(File.ReadAllBytes(file.FullName));
            if (manifest.DataDirectory == dataDirectory)
            {
                Remember(file, manifest);
                return manifest;
            }

            return null;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return null; // a damaged manifest only costs a full compare
        }
    }

    public void Save(SyncManifest manifest)
    {
        Directory.CreateDirectory(stateDirectory);

        // The JSON manifest of earlier versions (same name, other extension) is never read again.
        File.Delete(Path.ChangeExtension(FilePath, ".json"));
        AtomicFile.Write(FilePath, stream => ManifestCodec.Write(stream, manifest), executable: false, durable: true);
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
