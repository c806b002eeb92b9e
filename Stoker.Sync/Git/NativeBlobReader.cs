using System.Buffers;
using System.Runtime.InteropServices;

namespace Stoker.Sync.Git;

/// <summary>
/// Reads blobs with one inflation each: one libgit2 lookup gives the size and the content (held in native memory),
/// which is copied to the destination in 64 KB pieces and freed. The initial sync reads every blob of the commit;
/// through LibGit2Sharp each read inflated the object twice (size, then content) and built a managed array of the
/// whole file (docs/sync-engine.md, Git).
/// </summary>
internal sealed class NativeBlobReader : IDisposable
{
    private const int Chunk = 64 * 1024;
    private static readonly Lazy<bool> Loaded = new(TryLoad);
    private readonly NativeRepositoryHandle _repository;

    private NativeBlobReader(NativeRepositoryHandle repository) => _repository = repository;

    /// <summary>
    /// Whether libgit2 could be called directly in this process (false: callers read through LibGit2Sharp). The first
    /// call also bounds libgit2's mapped pack windows; <see cref="GitCheckout"/> calls it before its first fetch.
    /// </summary>
    public static bool Available => Loaded.Value;

    /// <summary>A reader for the repository at <paramref name="path"/> (its git directory), or null when libgit2 cannot be called directly.</summary>
    public static NativeBlobReader? Open(string path)
    {
        if (!Available)
        {
            return null;
        }

        if (NativeGit.RepositoryOpen(out var repository, path) != 0)
        {
            throw new GitCheckoutException($"opening {path}: {NativeGit.LastError()}");
        }

        return new NativeBlobReader(new NativeRepositoryHandle(repository));
    }

    /// <summary>Writes the blob <paramref name="id"/> (40 hex digits) to <paramref name="destination"/>; returns its size.</summary>
    public long CopyTo(string id, string what, Stream destination)
    {
        var blob = Lookup(id, what);
        var buffer = ArrayPool<byte>.Shared.Rent(Chunk);
        try
        {
            var size = checked((long)NativeGit.BlobRawSize(blob));
            var content = NativeGit.BlobRawContent(blob);
            for (long offset = 0; offset < size;)
            {
                var length = (int)Math.Min(Chunk, size - offset);
                Marshal.Copy(content + (nint)offset, buffer, 0, length);
                destination.Write(buffer, 0, length);
                offset += length;
            }

            return size;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            NativeGit.BlobFree(blob);
        }
    }

    /// <summary>The whole content of the blob <paramref name="id"/>, for content that is transformed in memory.</summary>
    public byte[] Read(string id, string what)
    {
        var blob = Lookup(id, what);
        try
        {
            var content = new byte[checked((int)NativeGit.BlobRawSize(blob))];
            Marshal.Copy(NativeGit.BlobRawContent(blob), content, 0, content.Length);
            return content;
        }
        finally
        {
            NativeGit.BlobFree(blob);
        }
    }

    public void Dispose() => _repository.Dispose();

    private IntPtr Lookup(string id, string what)
    {
        Span<byte> oid = stackalloc byte[20];
        if (id.Length != 40 || Convert.FromHexString(id, oid, out _, out var written) != System.Buffers.OperationStatus.Done || written != 20)
        {
            throw new GitCheckoutException($"blob {id} ({what}): not a 40-digit object id");
        }

        var result = NativeGit.BlobLookup(out var blob, _repository, oid);
        return result switch
        {
            0 => blob,
            NativeGit.NotFound => throw new GitCheckoutException($"blob {id} ({what}) not found"),
            _ => throw new GitCheckoutException($"blob {id} ({what}): {NativeGit.LastError()}"),
        };
    }

    /// <summary>The size of one mapped window of a pack (libgit2's default on 64-bit systems: 1 GiB, the whole pack).</summary>
    public const int WindowBytes = 4 * 1024 * 1024;

    /// <summary>The most pack bytes libgit2 keeps mapped at once (its default on 64-bit systems: 8 GiB).</summary>
    public const int MappedLimitBytes = 32 * 1024 * 1024;

    private static bool TryLoad()
    {
        try
        {
            // Counted by libgit2: a second init beside LibGit2Sharp's only keeps the library initialised.
            if (NativeGit.Init() <= 0)
            {
                return false;
            }

            // Pack files are read through mapped windows, and every page touched stays in the process's resident set
            // while its window is mapped. With libgit2's 64-bit defaults a clone or an initial sync that touches the
            // whole pack keeps all of it resident (about the repository's compressed size); small windows under a
            // small limit are unmapped least recently used first, so it stays in the page cache instead
            // (docs/sync-engine.md, Memory). Process-wide, set before the first fetch.
            return NativeGit.SetSize(NativeGit.SetMWindowSize, WindowBytes) == 0
                & NativeGit.SetSize(NativeGit.SetMWindowMappedLimit, MappedLimitBytes) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return false;
        }
    }
}
