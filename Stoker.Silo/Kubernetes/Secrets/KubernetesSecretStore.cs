using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Logging;
using Stoker.Grains.Secrets;

namespace Stoker.Silo.Kubernetes.Secrets;

/// <summary>
/// Kubernetes mode's <see cref="ISecretStore"/>: Secrets read through the API with the silo's RBAC (docs/kubernetes.md,
/// "How the silo reads Secrets").
/// <para>
/// What it holds, and why: <see cref="SecretMetadataWatch"/> lists and watches the Secrets of the watched namespaces
/// metadata only (namespace, name, resourceVersion: a few dozen bytes each, never a value), because a cluster's Secrets
/// are mostly not ours (Helm keeps each release in a Secret of up to 1 MiB) and a full watch would carry all of them to
/// every silo. The values of a Secret are fetched with one GET the first time a GatewaySync's read names it, and kept
/// while its resourceVersion stays the one the watch reports: the watch telling of a change (or a deletion, or a
/// relist after a gap) drops them, so the next read fetches the new values without a restart and without the kubelet's
/// volume propagation delay. Only Secrets something read are held, and one not read for <see cref="IdleExpiry"/> is
/// dropped. One watch for all Secrets rather than one per named Secret (a field selector each): the number of open
/// watches stays one per namespace scope whatever the number of GatewaySyncs.
/// </para>
/// A Secret the cache does not hold is read with one GET (404: missing). A Secret whose data is larger than 1 MiB is
/// refused with an error naming it.
/// </summary>
public sealed partial class KubernetesSecretStore : ISecretStore, IWatchHandler
{
    /// <summary>How long the values of a Secret nobody reads stay in memory (a GatewaySync polls far more often).</summary>
    public static readonly TimeSpan IdleExpiry = TimeSpan.FromHours(1);

    private const string AllNamespaces = "";

    private readonly Lock gate = new();

    // The watch's view: every Secret of the watched scopes, by name, with its resourceVersion.
    private readonly Dictionary<SecretName, string> versions = [];

    // The scopes (a namespace, or AllNamespaces) listed at least once: only there does the watch vouch for a value.
    private readonly HashSet<string> listedScopes = new(StringComparer.Ordinal);

    // Values of the Secrets read, valid while their resourceVersion equals versions[name].
    private readonly Dictionary<SecretName, CachedSecret> values = [];

    private readonly IKubernetes client;
    private readonly TimeProvider time;
    private readonly ILogger<KubernetesSecretStore> logger;
    private DateTimeOffset lastSweep;

    public KubernetesSecretStore(IKubernetes client, TimeProvider time, ILogger<KubernetesSecretStore> logger)
    {
        this.client = client;
        this.time = time;
        this.logger = logger;
        lastSweep = time.GetUtcNow();
    }

    public bool IsConfigured => true;

    /// <summary>
    /// Raised (namespace, name) when the watch reports a Secret created, changed or deleted — not for the lists it starts
    /// with — so the GatewaySyncs naming it reconcile at once (<see cref="Stoker.Silo.Secrets.SecretChangeNotifier"/>).
    /// </summary>
    public event Action<string, string>? SecretChanged;

    /// <summary>How many Secrets' values are held (for tests and diagnostics).</summary>
    public int HeldCount
    {
        get
        {
            lock (gate)
            {
                return values.Count;
            }
        }
    }

    /// <summary>How many Secrets the watch knows (metadata only).</summary>
    public int KnownCount
    {
        get
        {
            lock (gate)
            {
                return versions.Count;
            }
        }
    }

    public bool Holds(string @namespace, string name)
    {
        lock (gate)
        {
            return values.ContainsKey(new SecretName(@namespace, name));
        }
    }

    public async Task<bool> ExistsAsync(string @namespace, string name, CancellationToken cancellationToken) =>
        await GetAsync(new SecretName(@namespace, name), cancellationToken).ConfigureAwait(false) is not null;

    public async Task<string?> ReadAsync(string @namespace, string name, string key, CancellationToken cancellationToken) =>
        (await GetAsync(new SecretName(@namespace, name), cancellationToken).ConfigureAwait(false))?.Read(key);

    public Task ListedAsync(string? @namespace, IReadOnlyList<JsonObject> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        var scope = @namespace ?? AllNamespaces;
        lock (gate)
        {
            foreach (var known in versions.Keys.Where(k => InScope(k, scope)).ToList())
            {
                versions.Remove(known);
            }

            foreach (var item in items)
            {
                if (Describe(item) is { } listed)
                {
                    versions[listed.Name] = listed.Version;
                }
            }

            listedScopes.Add(scope);
            foreach (var (name, held) in values.Where(p => InScope(p.Key, scope)).ToList())
            {
                if (!versions.TryGetValue(name, out var current) || current != held.ResourceVersion)
                {
                    values.Remove(name);
                    LogDropped(logger, name.Namespace, name.Name, current);
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task ChangedAsync(JsonObject item, CancellationToken cancellationToken)
    {
        if (Describe(item) is (var name, var version))
        {
            bool changed;
            lock (gate)
            {
                changed = !versions.TryGetValue(name, out var known) || known != version;
                versions[name] = version;
                if (values.TryGetValue(name, out var held) && held.ResourceVersion != version)
                {
                    values.Remove(name);
                    LogDropped(logger, name.Namespace, name.Name, version);
                }
            }

            if (changed)
            {
                SecretChanged?.Invoke(name.Namespace, name.Name);
            }
        }

        return Task.CompletedTask;
    }

    public Task DeletedAsync(JsonObject item, CancellationToken cancellationToken)
    {
        if (Describe(item) is (var name, _))
        {
            lock (gate)
            {
                versions.Remove(name);
                if (values.Remove(name))
                {
                    LogDropped(logger, name.Namespace, name.Name, null);
                }
            }

            SecretChanged?.Invoke(name.Namespace, name.Name);
        }

        return Task.CompletedTask;
    }

    private async Task<CachedSecret?> GetAsync(SecretName name, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (gate)
        {
            SweepIdle(now);
            if (values.TryGetValue(name, out var held))
            {
                held.LastRead = now;
                return held;
            }
        }

        k8s.Models.V1Secret secret;
        try
        {
            secret = await client.CoreV1.ReadNamespacedSecretAsync(name.Name, name.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (HttpOperationException e)
        {
            // The Status' message only (e.g. RBAC's "secrets \"x\" is forbidden: ..."): the body of an error holds no value.
            throw new SecretReadException($"reading secret {name} through the Kubernetes API failed: {(int)e.Response.StatusCode} {StatusMessage(e)}", e);
        }
        catch (HttpRequestException e)
        {
            throw new SecretReadException($"reading secret {name} through the Kubernetes API failed: {e.Message}", e);
        }

        var read = CachedSecret.From(name, secret);
        read.LastRead = now;
        if (read.TooLarge)
        {
            LogTooLarge(logger, name.Namespace, name.Name, read.Bytes, CachedSecret.MaxBytes);
        }

        lock (gate)
        {
            // Kept only when the watch vouches for this very version: a change it reports later then drops it. A GET
            // that raced a change (the watch already past it, or not yet there) is used once and not kept.
            if (versions.TryGetValue(name, out var watched) && watched == read.ResourceVersion && IsListed(name))
            {
                values[name] = read;
            }
        }

        return read;
    }

    private bool IsListed(SecretName name) => listedScopes.Contains(AllNamespaces) || listedScopes.Contains(name.Namespace);

    /// <summary>Drops the values of Secrets nobody read for <see cref="IdleExpiry"/> (a GatewaySync deleted or changed to name another). Caller holds the lock.</summary>
    private void SweepIdle(DateTimeOffset now)
    {
        if (now - lastSweep < TimeSpan.FromMinutes(1))
        {
            return;
        }

        lastSweep = now;
        foreach (var (name, held) in values.Where(p => now - p.Value.LastRead > IdleExpiry).ToList())
        {
            values.Remove(name);
            LogIdle(logger, name.Namespace, name.Name);
        }
    }

    private static bool InScope(SecretName name, string scope) => scope == AllNamespaces || name.Namespace == scope;

    private static (SecretName Name, string Version)? Describe(JsonObject item)
    {
        var metadata = item["metadata"];
        return metadata?["namespace"]?.GetValue<string>() is { Length: > 0 } ns
            && metadata["name"]?.GetValue<string>() is { Length: > 0 } name
            && metadata["resourceVersion"]?.GetValue<string>() is { Length: > 0 } version
            ? (new SecretName(ns, name), version)
            : null;
    }

    private static string StatusMessage(HttpOperationException e)
    {
        try
        {
            return JsonNode.Parse(e.Response.Content ?? "")?["message"]?.GetValue<string>() is { Length: > 0 } message ? message : e.Response.ReasonPhrase ?? "";
        }
        catch (System.Text.Json.JsonException)
        {
            return e.Response.ReasonPhrase ?? "";
        }
    }

    [LoggerMessage(EventId = 7300, Level = LogLevel.Information, Message = "Secret {Namespace}/{Name} changed (resourceVersion {ResourceVersion}): the next read fetches it again")]
    private static partial void LogDropped(ILogger logger, string @namespace, string name, string? resourceVersion);

    [LoggerMessage(EventId = 7301, Level = LogLevel.Warning, Message = "Secret {Namespace}/{Name} holds {Bytes} bytes of data, more than the {Limit} a Secret may hold: refused")]
    private static partial void LogTooLarge(ILogger logger, string @namespace, string name, long bytes, long limit);

    [LoggerMessage(EventId = 7302, Level = LogLevel.Debug, Message = "Secret {Namespace}/{Name} not read for an hour: its values are dropped")]
    private static partial void LogIdle(ILogger logger, string @namespace, string name);
}
