using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stoker.Grains.Interfaces.Grains;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Grains.Interfaces.Serialization;
using Stoker.Grains.Interfaces.Validation;

namespace Stoker.Silo.Api;

/// <summary>
/// Makes the stored GatewaySyncs match the manifests folder. Every pass reads the whole folder and works out what it
/// declares as one set, so a resource moved from one file to another in the same change is neither deleted nor
/// re-created; ownership (which file each resource came from) decides deletes. An invalid file is reported with every
/// violation and keeps contributing what it last held when valid. Unchanged files are not parsed again and unchanged
/// resources are not sent again.
/// </summary>
public sealed partial class ManifestsFolderReconciler(GatewaySyncStore store, IOptions<ManifestsOptions> options, ILogger<ManifestsFolderReconciler> logger, TimeProvider? time = null)
{
    /// <summary>
    /// Marks a resource as applied from a manifests folder, naming its file by full path: after a restart the folder
    /// deletes only what it finds annotated with a file under its own root (never another silo's or folder's).
    /// </summary>
    public const string SourceAnnotation = "stoker.io/manifest-file";

    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, AppliedManifest> _applied = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reportedConflicts = new(StringComparer.Ordinal);

    /// <summary>Files of the current pass written too recently to read: nothing they may declare is deleted.</summary>
    private readonly HashSet<string> _settling = new(StringComparer.Ordinal);
    private Dictionary<string, ManifestFile> _files = new(StringComparer.Ordinal);
    private bool _startupPruned;
    private string _root = "";

    public string? Root => options.Value.Path is { Length: > 0 } path ? Path.GetFullPath(path) : null;

    public async Task<ManifestScanResult> ScanAsync(CancellationToken cancellationToken)
    {
        if (Root is not { } root)
        {
            return new(0, 0, 0, 0);
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            _settling.Clear();
            _files = ReadFolder(root);
            var desired = Desired();
            _root = root;
            var failures = 0;
            var applied = 0;
            foreach (var (key, (file, resource)) in desired)
            {
                cancellationToken.ThrowIfCancellationRequested();
                switch (await ApplyAsync(key, file, resource))
                {
                    case true: applied++; break;
                    case null: failures++; break;
                }
            }

            var (deleted, deleteFailures) = await DeleteUndeclaredAsync(desired, cancellationToken);
            return new(applied, deleted, _files.Values.Count(f => !f.Valid), failures + deleteFailures, _settling.Count);
        }
        finally
        {
            _gate.Release();
        }
    }

    private Dictionary<string, ManifestFile> ReadFolder(string root)
    {
        var next = new Dictionary<string, ManifestFile>(StringComparer.Ordinal);
        foreach (var file in EnumerateManifests(root))
        {
            var previous = _files.GetValueOrDefault(file);
            var path = Path.Join(root, file);
            string text;
            try
            {
                // A file written within the debounce may be half-written (an editor or `cp` truncates, then writes):
                // read then, it could declare fewer resources than it will, and those would be deleted. It keeps what
                // it declared before until it has been still for the debounce (checked again after reading, in case a
                // write began meanwhile); the watcher passes again soon.
                if (Settling(path))
                {
                    KeepWhileSettling(next, file, previous);
                    continue;
                }

                text = ResourceFile.ReadAllText(path);
                if (Settling(path))
                {
                    KeepWhileSettling(next, file, previous);
                    continue;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                LogUnreadable(logger, file, e.Message);
                // No hash: once the file can be read again it is parsed again, whatever it holds.
                next[file] = new ManifestFile("", false, previous?.Resources ?? []);
                continue;
            }
            catch (ResourceFormatException e)
            {
                // Too large to read: reported once per size, as an invalid file is once per content.
                var size = "too-large:" + new FileInfo(Path.Join(root, file)).Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
                next[file] = previous?.Hash == size ? previous : Invalid(file, size, [(1, new ResourceViolation("(document)", null, e.Message))], previous);
                continue;
            }

            var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
            next[file] = previous?.Hash == hash ? previous : Parse(file, text, hash, previous);
        }

        foreach (var removed in _files.Keys.Where(f => !next.ContainsKey(f)))
        {
            LogFileRemoved(logger, removed);
        }

        return next;
    }

    private bool Settling(string path) =>
        (time ?? TimeProvider.System).GetUtcNow() - File.GetLastWriteTimeUtc(path) < options.Value.Debounce;

    private void KeepWhileSettling(Dictionary<string, ManifestFile> next, string file, ManifestFile? previous)
    {
        _settling.Add(file);
        if (previous is not null)
        {
            next[file] = previous;
        }
    }

    private ManifestFile Parse(string file, string text, string hash, ManifestFile? previous)
    {
        // The original's docs keep a Secret beside its GatewaySync in one file. The manifests folder applies
        // GatewaySyncs only: a Secret document is left out with a warning, not refused with the file's resources.
        var secrets = 0;
        var results = GatewaySyncSerializer.ParseAll(text, d =>
        {
            var isSecret = d is System.Text.Json.Nodes.JsonObject o && (string?)o["kind"] == "Secret" && (string?)o["apiVersion"] == "v1";
            secrets += isSecret ? 1 : 0;
            return isSecret;
        });
        if (secrets > 0 && previous?.Hash != hash)
        {
            LogSecretsSkipped(logger, file, secrets);
        }

        var violations = new List<(int Document, ResourceViolation Violation)>();
        for (var i = 0; i < results.Count; i++)
        {
            violations.AddRange(results[i].Violations.Select(v => (i + 1, v)));
        }

        var resources = results.Where(r => r.IsValid).Select(r => ApplyRequestReader.ForApply(r.Resource!)).ToList();
        foreach (var duplicate in resources.Select((r, i) => (r.Key, Document: i + 1)).GroupBy(r => r.Key).Where(g => g.Count() > 1))
        {
            violations.Add((duplicate.Last().Document, new ResourceViolation("metadata.name", $"\"{duplicate.Key}\"",
                $"defined {duplicate.Count()} times in this file (documents {string.Join(", ", duplicate.Select(d => d.Document))})")));
        }

        if (violations.Count == 0)
        {
            LogFileRead(logger, file, resources.Count);
            return new ManifestFile(hash, true, resources);
        }

        return Invalid(file, hash, violations, previous);
    }

    /// <summary>Reports every violation with the file and keeps what the file last declared when it was valid.</summary>
    private ManifestFile Invalid(string file, string hash, List<(int Document, ResourceViolation Violation)> violations, ManifestFile? previous)
    {
        foreach (var (document, violation) in violations)
        {
            LogViolation(logger, file, document, violation.ToString());
        }

        LogFileInvalid(logger, file, violations.Count, previous?.Resources.Count ?? 0);
        return new ManifestFile(hash, false, previous?.Resources ?? []);
    }

    /// <summary>Key → the file that declares it and the resource, with one owner per key when files disagree.</summary>
    private SortedDictionary<string, (string File, GatewaySync Resource)> Desired()
    {
        var desired = new SortedDictionary<string, (string File, GatewaySync Resource)>(StringComparer.Ordinal);
        foreach (var (file, manifest) in _files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            foreach (var resource in manifest.Resources)
            {
                if (!desired.TryGetValue(resource.Key, out var other))
                {
                    desired[resource.Key] = (file, resource);
                    continue;
                }

                // Two files declare one resource: the file it was applied from keeps it (so adding the copy before
                // removing the original moves it without a gap); otherwise the first file in path order.
                if (_applied.TryGetValue(resource.Key, out var owner) && owner.File == file)
                {
                    desired[resource.Key] = (file, resource);
                }

                var conflict = $"{resource.Key}|{other.File}|{file}";
                if (_reportedConflicts.Add(conflict))
                {
                    LogConflict(logger, resource.Key, other.File, file, desired[resource.Key].File);
                }
            }
        }

        return desired;
    }

    /// <summary>True when sent, false when already current, null when the control plane failed (retried next pass).</summary>
    private async Task<bool?> ApplyAsync(string key, string file, GatewaySync resource)
    {
        var annotations = new Dictionary<string, string>(resource.Metadata.Annotations ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [SourceAnnotation] = Path.Join(_root, file.Replace('/', Path.DirectorySeparatorChar)),
        };
        var sourced = resource with { Metadata = resource.Metadata with { Annotations = annotations } };
        var fingerprint = GatewaySyncSerializer.ToJson(sourced);
        if (_applied.TryGetValue(key, out var current) && current.Fingerprint == fingerprint)
        {
            return false;
        }

        try
        {
            var stored = await store.ApplyAsync(sourced);
            _applied[key] = new AppliedManifest(file, fingerprint);
            LogApplied(logger, key, file, stored.Metadata.Generation);
            return true;
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            LogStoreFailed(logger, key, file, e);
            return null;
        }
    }

    private async Task<(int Deleted, int Failures)> DeleteUndeclaredAsync(IReadOnlyDictionary<string, (string File, GatewaySync Resource)> desired, CancellationToken cancellationToken)
    {
        var candidates = _applied.Where(a => !desired.ContainsKey(a.Key)).Select(a => (a.Key, a.Value.File)).ToList();
        if (!_startupPruned)
        {
            // After a restart nothing is remembered: resources this folder applied before (they carry the annotation)
            // whose declaration is gone are found through the store.
            try
            {
                var stored = await store.ListAsync(null);
                candidates.AddRange(stored
                    .Where(r => !desired.ContainsKey(r.Key) && !_applied.ContainsKey(r.Key))
                    .Select(r => (r.Key, File: OwnFile(r.Metadata.Annotations?.GetValueOrDefault(SourceAnnotation))))
                    .Where(c => c.File is not null)
                    .Select(c => (c.Key, c.File!)));
                _startupPruned = true;
            }
            catch (Exception e) when (e is TimeoutException or OrleansException)
            {
                LogStoreFailed(logger, "(list)", "(folder)", e);
                return (0, 1);
            }
        }

        var deleted = 0;
        var failures = 0;
        foreach (var (key, file) in candidates)
        {
            cancellationToken.ThrowIfCancellationRequested();

            // A file that exists but cannot be read or parsed, or is being written, may still declare the resource:
            // never delete for it.
            if (_settling.Contains(file) || (_files.TryGetValue(file, out var manifest) && !manifest.Valid))
            {
                continue;
            }

            try
            {
                var (ns, name) = GrainKeys.ParseGatewaySync(key);
                await store.DeleteAsync(ns, name);
                _applied.Remove(key);
                deleted++;
                LogDeleted(logger, key, file);
            }
            catch (Exception e) when (e is TimeoutException or OrleansException)
            {
                LogStoreFailed(logger, key, file, e);
                failures++;
            }
        }

        return (deleted, failures);
    }

    /// <summary>The file, relative to this folder's root, that an annotation names; null when it is not under the root.</summary>
    private string? OwnFile(string? annotated)
    {
        var prefix = _root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        return annotated is not null && annotated.StartsWith(prefix, StringComparison.Ordinal)
            ? annotated[prefix.Length..].Replace(Path.DirectorySeparatorChar, '/')
            : null;
    }

    /// <summary>YAML and JSON files under the root, relative and '/'-separated; hidden files and folders are skipped
    /// (editor swap files, and the <c>..data</c> folder of a mounted ConfigMap whose visible links are read instead).</summary>
    private static List<string> EnumerateManifests(string root)
    {
        var enumeration = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden | FileAttributes.System };
        return Directory.EnumerateFiles(root, "*", enumeration)
            .Select(f => Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Where(f => !f.Split('/').Any(segment => segment.StartsWith('.')))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    [LoggerMessage(EventId = 6200, Level = LogLevel.Information, Message = "Manifest {File}: read {Count} GatewaySync resource(s)")]
    private static partial void LogFileRead(ILogger logger, string file, int count);

    [LoggerMessage(EventId = 6209, Level = LogLevel.Warning,
        Message = "Manifest {File}: {Count} v1 Secret document(s) left out: the manifests folder applies GatewaySyncs only; Secrets live in the secrets folder (Stoker:Silo:SecretsPath), where kubectl apply or stoker apply puts them")]
    private static partial void LogSecretsSkipped(ILogger logger, string file, int count);

    [LoggerMessage(EventId = 6201, Level = LogLevel.Error, Message = "Manifest {File}: document {Document}: {Violation}")]
    private static partial void LogViolation(ILogger logger, string file, int document, string violation);

    [LoggerMessage(EventId = 6202, Level = LogLevel.Error, Message = "Manifest {File} is invalid ({Count} violation(s)); the {Kept} resource(s) it last declared stay as applied")]
    private static partial void LogFileInvalid(ILogger logger, string file, int count, int kept);

    [LoggerMessage(EventId = 6203, Level = LogLevel.Warning, Message = "Manifest {File} cannot be read ({Reason}); the resources it last declared stay as applied")]
    private static partial void LogUnreadable(ILogger logger, string file, string reason);

    [LoggerMessage(EventId = 6204, Level = LogLevel.Information, Message = "Manifest {File} removed")]
    private static partial void LogFileRemoved(ILogger logger, string file);

    [LoggerMessage(EventId = 6205, Level = LogLevel.Warning, Message = "GatewaySync {Key} is declared in both {First} and {Second}; applying the one in {Winner}")]
    private static partial void LogConflict(ILogger logger, string key, string first, string second, string winner);

    [LoggerMessage(EventId = 6206, Level = LogLevel.Information, Message = "GatewaySync {Key} applied from manifest {File} (generation {Generation})")]
    private static partial void LogApplied(ILogger logger, string key, string file, long? generation);

    [LoggerMessage(EventId = 6207, Level = LogLevel.Information, Message = "GatewaySync {Key} deleted: manifest {File} no longer declares it")]
    private static partial void LogDeleted(ILogger logger, string key, string file);

    [LoggerMessage(EventId = 6208, Level = LogLevel.Warning, Message = "GatewaySync {Key} from manifest {File}: the control plane did not answer; retrying on the next pass")]
    private static partial void LogStoreFailed(ILogger logger, string key, string file, Exception exception);
}
