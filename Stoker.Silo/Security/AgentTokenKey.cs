using System.Security.Cryptography;
using System.Text;
using Stoker.Grains.Interfaces.Security;

namespace Stoker.Silo.Security;

/// <summary>
/// The key that signs local-mode agent tokens: a file holding the base64 of at least <see cref="MinBytes"/> random
/// bytes, created 0600 on first start when missing. Replacing the file (and restarting the silos) invalidates every
/// token signed with the old key.
/// </summary>
public static class AgentTokenKey
{
    public const int MinBytes = 32;

    /// <summary>A key file longer than this is not a key: refused unread.</summary>
    private const int MaxFileBytes = 4096;

    /// <summary>Reads the key, or creates it when the file does not exist. Two silos creating it at once end up with the same key.</summary>
    /// <exception cref="InvalidOperationException">The file exists but holds no usable key; the message names the file and the rule.</exception>
    public static byte[] LoadOrCreate(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        StokerStateFolder.CreateSecretFileIfMissing(path, Encoding.ASCII.GetBytes(Convert.ToBase64String(RandomNumberGenerator.GetBytes(MinBytes)) + "\n"));
        return Load(path);
    }

    /// <exception cref="InvalidOperationException">The file is missing, unreadable or holds no usable key.</exception>
    public static byte[] Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string text;
        try
        {
            var length = new FileInfo(path).Length;
            if (length > MaxFileBytes)
            {
                throw Bad(path, $"the file is {length} bytes, more than {MaxFileBytes}");
            }

            text = File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Bad(path, $"cannot read it: {e.Message}");
        }

        byte[] key;
        try
        {
            key = Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw Bad(path, "it is not base64");
        }

        return key.Length >= MinBytes ? key : throw Bad(path, $"it holds {key.Length} bytes");
    }

    private static InvalidOperationException Bad(string path, string why) =>
        new($"agent token key file \"{path}\": {why}; it must hold the base64 of at least {MinBytes} random bytes "
            + $"(e.g. `openssl rand -base64 {MinBytes}`), or be absent so the silo creates one");
}
