using System.Security.Cryptography;
using System.Text;
using Orleans.Serialization;
using Stoker.Grains.Interfaces.Messages;

namespace Stoker.Grains.Interfaces.Security;

/// <summary>
/// Seals and opens <see cref="DesiredStatePush"/>es. The key is derived (HKDF-SHA256) from the session token the agent
/// and its Gateway grain share; the MAC covers the exact bytes the agent deserializes, so no canonical form is needed.
/// A push whose seal does not verify is never deserialized.
/// </summary>
public static class DesiredStateSeal
{
    private const int SealLength = 32;
    private static readonly byte[] Info = "stoker/desired-state-push/v1"u8.ToArray();

    /// <summary>The push key of the session <paramref name="sessionToken"/> names.</summary>
    public static byte[] KeyFor(string sessionToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionToken);
        return HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(sessionToken), SealLength, salt: [], info: Info);
    }

    public static DesiredStatePush Seal(Serializer<DesiredState> serializer, DesiredState state, byte[] key)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        ArgumentNullException.ThrowIfNull(key);
        var bytes = serializer.SerializeToArray(state);
        return new DesiredStatePush { State = bytes, Seal = HMACSHA256.HashData(key, bytes) };
    }

    /// <summary>The state, or null when <paramref name="key"/> is null or the seal does not verify (a push from anyone but the grain).</summary>
    public static DesiredState? Open(Serializer<DesiredState> serializer, DesiredStatePush? push, byte[]? key)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        if (key is null || push?.State is not { } bytes || push.Seal is not { Length: SealLength } seal
            || !CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(key, bytes), seal))
        {
            return null;
        }

        return serializer.Deserialize(bytes);
    }
}
