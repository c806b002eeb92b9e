using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Stoker.Sync;

/// <summary>
/// The git blob id of some content: SHA-1 over <c>"blob {length}\0"</c> followed by the bytes. Using git's own
/// content id means a plain file's desired hash is known from the tree without reading the blob, and a live
/// file is compared by hashing it the same way.
/// </summary>
[SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms", Justification = "Git's object id format, used to compare content, not for security.")]
public static class GitBlobHash
{
    public static string Of(ReadOnlySpan<byte> content)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        sha.AppendData(Header(content.Length));
        sha.AppendData(content);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>Hashes a file on disk, streaming it. The caller has checked it is a regular file.</summary>
    public static string OfFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        sha.AppendData(Header(stream.Length));
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                sha.AppendData(buffer, 0, read);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static byte[] Header(long length) => Encoding.ASCII.GetBytes("blob " + length.ToString(CultureInfo.InvariantCulture) + "\0");
}
