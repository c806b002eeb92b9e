using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Stoker.Grains.Interfaces.Serialization;
using Stoker.Grains.Interfaces.Validation;
using Stoker.Silo.Hosting;

namespace Stoker.Silo.Api.Secrets;

/// <summary>
/// Local mode's Secrets in the secrets folder the control plane reads (<c>{SecretsPath}/{namespace}/{name}/{key}</c>,
/// Stoker.Grains.Secrets.FileSecretStore): each value written to a temporary file and renamed over its key (a reader
/// sees the old value or the new, never half), files 0600 and folders 0700, the metadata in a dot file beside the
/// folder. Writes are serialized in this process; Secrets made by hand (folders without metadata) are served too.
/// </summary>
public sealed partial class SecretFolderStore(IOptions<StokerSiloOptions> options, TimeProvider time)
{
    /// <summary>The API server's limit on the values of one Secret, all keys together.</summary>
    public const int MaxDataBytes = 1024 * 1024;

    public const int MaxKeyLength = 253;

    /// <summary>
    /// Stoker's own bound on the keys of one Secret (the API server has none): each key is a file, and a 3 MiB body
    /// of empty values would otherwise make hundreds of thousands of them.
    /// </summary>
    public const int MaxKeys = 4096;

    private const UnixFileMode SecretFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly SemaphoreSlim _writes = new(1, 1);

    /// <summary>The secrets folder, or null when <c>Stoker:Silo:SecretsPath</c> is not set.</summary>
    public string? Root => options.Value.SecretsPath is { Length: > 0 } path ? Path.GetFullPath(path) : null;

    /// <summary>A key as the API server takes it: <c>[-._a-zA-Z0-9]+</c>, not <c>.</c> or <c>..</c>, at most 253 characters.</summary>
    public static bool IsValidKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Length is > 0 and <= MaxKeyLength && key is not "." and not ".." && KeyPattern().IsMatch(key);
    }

    /// <summary>Runs a read-modify-write with no other write of this process in between.</summary>
    public async Task<T> ExclusiveAsync<T>(Func<Task<T>> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        await _writes.WaitAsync();
        try
        {
            return await action();
        }
        finally
        {
            _writes.Release();
        }
    }

    public async Task<SecretObject?> GetAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        var folder = SecretFolder(@namespace, name);
        if (!Directory.Exists(folder))
        {
            return null;
        }

        var data = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        long total = 0;
        foreach (var file in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
        {
            var key = Path.GetFileName(file);

            // ".." entries are the internals of a Secret volume Kubernetes mounted; anything else not a key is not ours.
            if (!IsValidKey(key) || key.StartsWith("..", StringComparison.Ordinal))
            {
                continue;
            }

            total += new FileInfo(file).Length;
            if (total > MaxDataBytes)
            {
                throw new InvalidDataException($"the values of Secret {@namespace}/{name} on disk exceed {MaxDataBytes.ToString(CultureInfo.InvariantCulture)} bytes");
            }

            data[key] = await File.ReadAllBytesAsync(file, cancellationToken);
        }

        var meta = await ReadMetadataAsync(@namespace, name, cancellationToken);
        return new SecretObject
        {
            Namespace = @namespace,
            Name = name,
            Uid = meta?.Uid ?? DerivedUid(@namespace, name),
            ResourceVersion = (meta?.ResourceVersion ?? Micros(Directory.GetLastWriteTimeUtc(folder))).ToString(CultureInfo.InvariantCulture),
            CreationTimestamp = meta?.CreationTimestamp ?? KubeTimeJsonConverter.Truncate(new DateTimeOffset(Directory.GetCreationTimeUtc(folder), TimeSpan.Zero)),
            Labels = meta?.Labels,
            Annotations = meta?.Annotations,
            ManagedFields = meta?.ManagedFields,
            Type = meta?.Type ?? SecretObject.DefaultType,
            Immutable = meta?.Immutable,
            Data = data,
        };
    }

    /// <summary>The names of the Secrets of one namespace, or of all (as namespace, name), in order.</summary>
    public IReadOnlyList<(string Namespace, string Name)> List(string? @namespace)
    {
        var root = Root ?? throw new InvalidOperationException("no secrets folder");
        if (!Directory.Exists(root))
        {
            return [];
        }

        var namespaces = @namespace is null
            ? Directory.EnumerateDirectories(root).Select(Path.GetFileName).OfType<string>().Where(n => KubernetesNames.IsDnsSubdomain(n, out _))
            : [@namespace];
        return namespaces
            .Where(ns => Directory.Exists(Path.Join(root, ns)))
            .SelectMany(ns => Directory.EnumerateDirectories(Path.Join(root, ns)).Select(Path.GetFileName).OfType<string>()
                .Where(n => KubernetesNames.IsDnsSubdomain(n, out _)).Select(n => (ns, n)))
            .Order()
            .ToList();
    }

    /// <summary>Writes the Secret (values and metadata) and returns it as stored, with its new resourceVersion.</summary>
    public async Task<SecretObject> WriteAsync(SecretObject secret, SecretObject? previous, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var root = Root ?? throw new InvalidOperationException("no secrets folder");
        var namespaceFolder = Contained(root, secret.Namespace);
        var folder = Contained(namespaceFolder, secret.Name);
        CreateFolder(root);
        CreateFolder(namespaceFolder);
        CreateFolder(folder);
        foreach (var (key, value) in secret.Data)
        {
            await WriteAtomicallyAsync(namespaceFolder, Contained(folder, key), value, cancellationToken);
        }

        foreach (var file in Directory.EnumerateFiles(folder))
        {
            var key = Path.GetFileName(file);
            if (IsValidKey(key) && !key.StartsWith("..", StringComparison.Ordinal) && !secret.Data.ContainsKey(key))
            {
                File.Delete(file);
            }
        }

        var previousVersion = previous?.ResourceVersion is { } rv && long.TryParse(rv, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
        var version = Math.Max(previousVersion + 1, time.GetUtcNow().ToUnixTimeMilliseconds() * 1000);
        var meta = new SecretMetadataFile
        {
            Uid = secret.Uid,
            ResourceVersion = version,
            CreationTimestamp = secret.CreationTimestamp,
            Labels = secret.Labels,
            Annotations = secret.Annotations,
            ManagedFields = secret.ManagedFields,
            Type = secret.Type,
            Immutable = secret.Immutable,
        };
        await WriteAtomicallyAsync(namespaceFolder, MetadataPath(namespaceFolder, secret.Name), JsonSerializer.SerializeToUtf8Bytes(meta, ResourceJson.Options), cancellationToken);
        return secret with { ResourceVersion = version.ToString(CultureInfo.InvariantCulture) };
    }

    /// <summary>Removes the Secret's folder and metadata; false when there was none.</summary>
    public bool Delete(string @namespace, string name)
    {
        var root = Root ?? throw new InvalidOperationException("no secrets folder");
        var namespaceFolder = Contained(root, @namespace);
        var folder = Contained(namespaceFolder, name);
        if (!Directory.Exists(folder))
        {
            return false;
        }

        // Moved aside first, so the control plane never reads a half-deleted Secret: it is there or it is gone.
        var aside = Path.Join(namespaceFolder, $".{name}.deleting-{Guid.NewGuid():N}");
        Directory.Move(folder, aside);
        File.Delete(MetadataPath(namespaceFolder, name));
        Directory.Delete(aside, recursive: true);
        return true;
    }

    private async Task<SecretMetadataFile?> ReadMetadataAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        var path = MetadataPath(Contained(Root!, @namespace), name);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<SecretMetadataFile>(await File.ReadAllBytesAsync(path, cancellationToken), ResourceJson.Options);
        }
        catch (JsonException)
        {
            // A damaged metadata file loses labels and annotations, never the values: served as a hand-made Secret.
            return null;
        }
    }

    private static async Task WriteAtomicallyAsync(string tempFolder, string target, byte[] content, CancellationToken cancellationToken)
    {
        var temp = Path.Join(tempFolder, $".{Guid.NewGuid():N}.tmp");
        try
        {
            var streamOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                streamOptions.UnixCreateMode = SecretFileMode;
            }

            await using (var stream = new FileStream(temp, streamOptions))
            {
                await stream.WriteAsync(content, cancellationToken);
                await stream.FlushAsync(cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    private static void CreateFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, FolderMode);
        }
    }

    private string SecretFolder(string @namespace, string name) => Contained(Contained(Root ?? throw new InvalidOperationException("no secrets folder"), @namespace), name);

    private static string MetadataPath(string namespaceFolder, string name) => Path.Join(namespaceFolder, $".{name}.meta.json");

    /// <summary>One path segment below <paramref name="parent"/>, or a throw: callers validated it, this makes sure.</summary>
    private static string Contained(string parent, string segment)
    {
        var path = Path.GetFullPath(Path.Join(parent, segment));
        return segment.Length > 0 && segment is not "." and not ".." && segment.IndexOfAny(['/', '\\', '\0']) < 0
            && path.StartsWith(parent.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? path
            : throw new ArgumentException($"\"{segment}\" is not one path segment", nameof(segment));
    }

    private static long Micros(DateTime utc) => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToUnixTimeMilliseconds() * 1000;

    /// <summary>A stable uid for a Secret made by hand (no metadata file), so that it does not change between reads.</summary>
    private static string DerivedUid(string @namespace, string name)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(@namespace + "/" + name));
        return new Guid(hash.AsSpan(0, 16)).ToString();
    }

    [GeneratedRegex("^[-._a-zA-Z0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();
}
