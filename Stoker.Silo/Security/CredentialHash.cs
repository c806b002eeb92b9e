using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Stoker.Silo.Security;

/// <summary>A credential's SHA-256, as the cache's key: the token itself is never kept, and the key costs no allocation.</summary>
public readonly record struct CredentialHash(ulong A, ulong B, ulong C, ulong D)
{
    private const int StackBytes = 2048;

    public static CredentialHash Of(string credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var max = Encoding.UTF8.GetMaxByteCount(credential.Length);
        var rented = max > StackBytes ? ArrayPool<byte>.Shared.Rent(max) : null;
        try
        {
            Span<byte> buffer = rented ?? stackalloc byte[StackBytes];
            var length = Encoding.UTF8.GetBytes(credential, buffer);
            Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer[..length], digest);
            return new CredentialHash(
                BinaryPrimitives.ReadUInt64LittleEndian(digest),
                BinaryPrimitives.ReadUInt64LittleEndian(digest[8..]),
                BinaryPrimitives.ReadUInt64LittleEndian(digest[16..]),
                BinaryPrimitives.ReadUInt64LittleEndian(digest[24..]));
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented, clearArray: true);
            }
        }
    }
}
