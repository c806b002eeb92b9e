using System.Runtime.InteropServices;

namespace Stoker.Sync.Git;

/// <summary>
/// The few libgit2 functions <see cref="NativeBlobReader"/> calls directly, from the native library LibGit2Sharp
/// ships and has already loaded (the same file, found by the same probing, so the same library state). Why they are
/// called directly: LibGit2Sharp 0.32 reads a blob's size and its content through two separate object lookups,
/// and each lookup inflates the whole object again (libgit2 caches no blobs); one lookup gives both.
/// </summary>
internal static partial class NativeGit
{
    // The file name LibGit2Sharp 0.32.0's native package ships (runtimes/<rid>/native/libgit2-5853918.so).
    // A test checks the reader is available, so a package upgrade that renames it fails there, not in production
    // (where the reader falls back to LibGit2Sharp's double read).
    private const string Library = "git2-5853918";

    /// <summary>libgit2's "not found" error code.</summary>
    public const int NotFound = -3;

    [LibraryImport(Library, EntryPoint = "git_libgit2_init")]
    public static partial int Init();

    /// <summary>git_libgit2_opt_t: the size of one mapped window of a pack file.</summary>
    public const int SetMWindowSize = 1;

    /// <summary>git_libgit2_opt_t: the most pack-file bytes mapped at once, over all packs of the process.</summary>
    public const int SetMWindowMappedLimit = 3;

    // git_libgit2_opts is variadic; both options read one size_t, which the x64 and arm64 Linux calling conventions
    // pass exactly like a fixed second argument (LibGit2Sharp declares its own calls the same way).
    [LibraryImport(Library, EntryPoint = "git_libgit2_opts")]
    public static partial int SetSize(int option, nuint value);

    [LibraryImport(Library, EntryPoint = "git_repository_open", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int RepositoryOpen(out IntPtr repository, string path);

    [LibraryImport(Library, EntryPoint = "git_repository_free")]
    public static partial void RepositoryFree(IntPtr repository);

    [LibraryImport(Library, EntryPoint = "git_blob_lookup")]
    public static partial int BlobLookup(out IntPtr blob, NativeRepositoryHandle repository, ReadOnlySpan<byte> id);

    [LibraryImport(Library, EntryPoint = "git_blob_rawsize")]
    public static partial ulong BlobRawSize(IntPtr blob);

    [LibraryImport(Library, EntryPoint = "git_blob_rawcontent")]
    public static partial IntPtr BlobRawContent(IntPtr blob);

    [LibraryImport(Library, EntryPoint = "git_blob_free")]
    public static partial void BlobFree(IntPtr blob);

    [LibraryImport(Library, EntryPoint = "git_error_last")]
    private static partial IntPtr ErrorLast();

    /// <summary>The message of the last libgit2 error on this thread (git_error's first field is its message).</summary>
    public static string LastError()
    {
        var error = ErrorLast();
        var message = error == IntPtr.Zero ? IntPtr.Zero : Marshal.ReadIntPtr(error);
        return message == IntPtr.Zero ? "unknown libgit2 error" : Marshal.PtrToStringUTF8(message) ?? "unknown libgit2 error";
    }
}
