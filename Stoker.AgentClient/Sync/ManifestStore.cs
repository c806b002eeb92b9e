using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Stoker.AgentClient.Sync;

/// <summary>Loads and saves the manifest of one data directory inside a state directory.</summary>
internal sealed class ManifestStore(string stateDirectory, string dataDirectory)
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public string FilePath { get; } = Path.Join(
        stateDirectory,
        "manifest-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(dataDirectory)))[..16] + ".json");

    /// <summary>The manifest, or null when there is none or it cannot be trusted (then the sync compares everything).</summary>
    public SyncManifest? Load()
    {
        try
        {
            if (!File.Exists(FilePath))
            {
                return null;
            }

            using var stream = File.OpenRead(FilePath);
            var manifest = JsonSerializer.Deserialize<SyncManifest>(stream, Options);
            return manifest is { Version: SyncManifest.CurrentVersion } && manifest.DataDirectory == dataDirectory ? manifest : null;
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
    }
}
