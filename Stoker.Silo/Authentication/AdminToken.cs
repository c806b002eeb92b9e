using System.Security.Cryptography;
using System.Text;
using Stoker.Grains.Interfaces.Security;

namespace Stoker.Silo.Authentication;

/// <summary>
/// The admin token of a loopback-only silo (docs/security.md, "API authentication"): 32 random bytes in hex, written
/// once to <see cref="StokerStateFolder.AdminTokenFile"/> (0600) and reused at every later start, so <c>stoker</c> and
/// the demo on the same machine find it without being told.
/// </summary>
public static class AdminToken
{
    /// <summary>A token file longer than this is not one this silo wrote.</summary>
    private const int MaxLength = 4096;

    /// <summary>The token in <paramref name="stateFolder"/>, created there first if missing or empty.</summary>
    public static string Ensure(string stateFolder)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateFolder);
        var path = StokerStateFolder.AdminTokenFile(stateFolder);
        if (Read(path) is { } existing)
        {
            return existing;
        }

        // An empty file (a failed write) is replaced; otherwise a token another silo of this folder wrote meanwhile stands.
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var content = Encoding.UTF8.GetBytes(token + "\n");
        if (File.Exists(path))
        {
            StokerStateFolder.WriteSecretFile(path, content);
            return token;
        }

        return StokerStateFolder.CreateSecretFileIfMissing(path, content) ? token : Read(path) ?? token;
    }

    /// <summary>The token a file holds (surrounding whitespace removed), or null when the file is missing or empty.</summary>
    public static string? Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return null;
        }

        if (info.Length > MaxLength)
        {
            throw new InvalidOperationException($"{path}: {info.Length} bytes: an admin token file holds one token of at most {MaxLength} characters");
        }

        var token = File.ReadAllText(path).Trim();
        return token.Length == 0 ? null : token;
    }
}
