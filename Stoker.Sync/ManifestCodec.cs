using System.Security.Cryptography;
using System.Text;

namespace Stoker.Sync;

/// <summary>
/// The manifest's file format: length-prefixed UTF-8 strings and fixed-size integers, one record per file, framed by a
/// magic number at both ends. A one-shot <c>stoker-agent sync</c> parses the manifest on every run: as JSON
/// (System.Text.Json, reflection-bound) 20,000 entries took 250–360 ms of a cold process; this format is read in one
/// pass with no reflection. A SHA-256 of the content ends the file, so a damaged manifest is refused (and only costs a
/// full compare) rather than trusted with a wrong path or hash in it. Strings that repeat are stored once per file and shared in memory: the hash of a plain file
/// is its blob id, and every file of a mapping has that mapping's render key.
/// </summary>
internal static class ManifestCodec
{
    private const uint Magic = 0x4D4B5453; // "STKM", little-endian
    private const byte ExecutableFlag = 1;
    private const byte HashIsBlobFlag = 2;

    /// <summary>The smallest encoding of one file record (empty strings, zero integers), to bound counts by the bytes left.</summary>
    private const int MinimumFileRecord = 4 + 1 + 1 + 1 + 8 + 8;

    public static void Write(Stream stream, SyncManifest manifest)
    {
        using var content = new MemoryStream();
        WriteContent(content, manifest);
        var bytes = content.GetBuffer().AsSpan(0, (int)content.Length);
        stream.Write(bytes);
        stream.Write(SHA256.HashData(bytes));
    }

    private static void WriteContent(Stream stream, SyncManifest manifest)
    {
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(manifest.Version);
        writer.Write(manifest.DataDirectory);
        writer.Write(manifest.Commit);
        writer.Write(manifest.PlanKey);
        writer.Write7BitEncodedInt(manifest.Files.Count);
        foreach (var (path, file) in manifest.Files)
        {
            var hashIsBlob = file.Hash == file.Blob;
            writer.Write(path);
            writer.Write7BitEncodedInt(file.Mapping);
            writer.Write((byte)((file.Executable ? ExecutableFlag : 0) | (hashIsBlob ? HashIsBlobFlag : 0)));
            writer.Write(file.Source);
            writer.Write(file.Blob);
            writer.Write(file.RenderKey);
            if (!hashIsBlob)
            {
                writer.Write(file.Hash);
            }

            writer.Write(file.Size);
            writer.Write(file.ModifiedTicks);
        }

        writer.Write7BitEncodedInt(manifest.Directories.Count);
        foreach (var directory in manifest.Directories)
        {
            writer.Write(directory);
        }

        writer.Write7BitEncodedInt(manifest.Skipped.Count);
        foreach (var skipped in manifest.Skipped)
        {
            writer.Write(skipped.Source);
            writer.Write(skipped.Destination);
            writer.Write(skipped.Reason);
        }

        writer.Write(Magic);
    }

    /// <summary>Reads a manifest written by <see cref="Write"/>.</summary>
    /// <exception cref="InvalidDataException">Not a manifest of this format, truncated, or damaged.</exception>
    public static SyncManifest Read(byte[] bytes)
    {
        var length = bytes.Length - SHA256.HashSizeInBytes;
        if (length < 0 || !SHA256.HashData(bytes.AsSpan(0, length)).AsSpan().SequenceEqual(bytes.AsSpan(length)))
        {
            throw new InvalidDataException("manifest damaged (its checksum does not match)");
        }

        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes, 0, length, writable: false), Encoding.UTF8);
            if (reader.ReadUInt32() != Magic)
            {
                throw new InvalidDataException("not a sync manifest (wrong magic number)");
            }

            var version = reader.ReadInt32();
            if (version != SyncManifest.CurrentVersion)
            {
                throw new InvalidDataException($"manifest version {version}, expected {SyncManifest.CurrentVersion}");
            }

            var dataDirectory = reader.ReadString();
            var commit = reader.ReadString();
            var planKey = reader.ReadString();
            var renderKeys = new Dictionary<string, string>(StringComparer.Ordinal) { [""] = "" };
            var files = new SortedDictionary<string, ManifestFile>(StringComparer.Ordinal);
            var fileCount = Count(reader, MinimumFileRecord);
            for (var i = 0; i < fileCount; i++)
            {
                var path = reader.ReadString();
                var mapping = reader.Read7BitEncodedInt();
                var flags = reader.ReadByte();
                var source = reader.ReadString();
                var blob = reader.ReadString();
                var renderKey = reader.ReadString();
                if (!renderKeys.TryGetValue(renderKey, out var shared))
                {
                    renderKeys[renderKey] = shared = renderKey;
                }

                var hash = (flags & HashIsBlobFlag) != 0 ? blob : reader.ReadString();
                var file = new ManifestFile
                {
                    Mapping = mapping,
                    Source = source,
                    Blob = blob,
                    Executable = (flags & ExecutableFlag) != 0,
                    RenderKey = shared,
                    Hash = hash,
                    Size = reader.ReadInt64(),
                    ModifiedTicks = reader.ReadInt64(),
                };
                if (!files.TryAdd(path, file))
                {
                    throw new InvalidDataException($"manifest lists {path} twice");
                }
            }

            var directories = new string[Count(reader, 1)];
            for (var i = 0; i < directories.Length; i++)
            {
                directories[i] = reader.ReadString();
            }

            var skipped = new SkippedSource[Count(reader, 3)];
            for (var i = 0; i < skipped.Length; i++)
            {
                skipped[i] = new SkippedSource(reader.ReadString(), reader.ReadString(), reader.ReadString());
            }

            if (reader.ReadUInt32() != Magic || reader.BaseStream.Position != length)
            {
                throw new InvalidDataException("manifest damaged (no end marker where expected)");
            }

            return new SyncManifest
            {
                Version = version,
                DataDirectory = dataDirectory,
                Commit = commit,
                PlanKey = planKey,
                Files = files,
                Directories = directories,
                Skipped = skipped,
            };
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or FormatException or ArgumentException)
        {
            throw new InvalidDataException($"manifest damaged: {e.Message}", e);
        }
    }

    /// <summary>A count, refused when the bytes left could not hold that many records (a damaged count must not allocate).</summary>
    private static int Count(BinaryReader reader, int minimumRecord)
    {
        var count = reader.Read7BitEncodedInt();
        var left = reader.BaseStream.Length - reader.BaseStream.Position;
        if (count < 0 || (long)count * minimumRecord > left)
        {
            throw new InvalidDataException($"manifest damaged: {count} records cannot fit in the {left} bytes left");
        }

        return count;
    }
}
