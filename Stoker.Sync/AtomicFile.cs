using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Stoker.Sync;

/// <summary>
/// Replaces files atomically: the content goes to a temporary file in the same folder, which is then renamed
/// over the target (rename(2) replaces a directory entry in one step, and never follows a symlink at the
/// target). A process killed midway leaves the old file or the new one, plus at worst a temporary file whose
/// name <see cref="IsTemporary"/> recognises so the next sync removes it.
/// </summary>
internal static partial class AtomicFile
{
    public const string Suffix = ".stoker-tmp";

    /// <summary>Writes and renames. Returns the final path's size and modification time (UTC ticks).</summary>
    public static (long Size, long ModifiedTicks) Write(string path, Action<Stream> writeContent, bool executable, bool durable)
    {
        var directory = Path.GetDirectoryName(path)!;
        var name = Path.GetFileName(path);
        // Keep the temporary name within the 255-byte limit whatever the target's length.
        var stem = name.Length > 200 ? name[..200] : name;
        var temporary = Path.Join(directory, "." + stem + "." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)) + Suffix);
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
            };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = executable
                    ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute
                    : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
            }

            using (var stream = new FileStream(temporary, options))
            {
                writeContent(stream);
                // Data files are not fsynced one by one: atomicity against a killed process needs only the rename;
                // the manifest is made durable because it vouches for everything else.
                stream.Flush(durable);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }

        var written = new FileInfo(path);
        return (written.Length, written.LastWriteTimeUtc.Ticks);
    }

    public static bool IsTemporary(string fileName) => TemporaryName().IsMatch(fileName);

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the next sync removes leftovers by name.
        }
    }

    [GeneratedRegex(@"^\..*\.[0-9a-f]{16}\.stoker-tmp$", RegexOptions.CultureInvariant)]
    private static partial Regex TemporaryName();
}
