using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stoker.Grains.GatewaySyncs;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Grains.Interfaces.Serialization;

namespace Stoker.Silo.Kubernetes;

/// <summary>
/// Publishes GatewaySync status on the custom resources (merge-patch on <c>/status</c>, field manager
/// <see cref="KubernetesMode.FieldManager"/>). Grains only hand over their latest status; this silo-side writer
/// coalesces it per resource, writes only what changed, at most once per <see cref="StokerKubernetesOptions.StatusWriteInterval"/>,
/// and retries failures (409, a lost API server) until the latest state has landed. Runs on every silo: each writes
/// for the grains it hosts.
/// </summary>
public sealed partial class KubernetesStatusWriter(IKubernetes client, IOptions<StokerKubernetesOptions> options, TimeProvider time, ILogger<KubernetesStatusWriter> logger)
    : IGatewaySyncStatusSink, IHostedService, IDisposable
{
    /// <summary>Every status field, so a field the grain no longer sets is removed (null in a merge patch) rather than left stale.</summary>
    private static readonly string[] StatusFields = typeof(GatewaySyncStatus).GetProperties()
        .Select(p => char.ToLowerInvariant(p.Name[0]) + p.Name[1..]).ToArray();

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Cancelled when the silo stops: pending writes stop waiting out the rate limit and go at once.</summary>
    private readonly CancellationTokenSource _draining = new();

    /// <summary>How long a stopping silo gives its pending status writes before it drops them.</summary>
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<Task, bool> _running = new();

    public void StatusChanged(GatewaySync resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (resource.Metadata.Annotations?.GetValueOrDefault(Annotations.Source) != KubernetesMode.SourceValue || resource.Status is null)
        {
            return;
        }

        var status = GatewaySyncSerializer.ToNode(resource)["status"] as JsonObject ?? [];
        Enqueue(resource.Metadata.Namespace ?? ObjectMeta.DefaultNamespace, resource.Metadata.Name ?? "", status);
    }

    public void Deleted(string key)
    {
        if (_entries.TryRemove(key, out var entry))
        {
            lock (entry)
            {
                entry.Removed = true;
            }
        }
    }

    /// <summary>Writes a status the watcher decided on itself (a resource refused before any grain took it).</summary>
    public void Refused(string @namespace, string name, long? generation, string message)
    {
        var status = new GatewaySyncStatus
        {
            ObservedGeneration = generation,
            Conditions =
            [
                new Condition
                {
                    Type = ConditionTypes.Ready, Status = ConditionStatus.False, Reason = ConditionReasons.InvalidSpec, Message = message,
                    ObservedGeneration = generation, LastTransitionTime = KubeTimeJsonConverter.Truncate(time.GetUtcNow()),
                },
            ],
        };
        var node = GatewaySyncSerializer.ToNode(new GatewaySync { Metadata = new() { Name = name, Namespace = @namespace }, Status = status })["status"] as JsonObject ?? [];
        Enqueue(@namespace, name, node);
    }

    /// <summary>Status writes made (for logs and tests' sake counted here as well as at the API server).</summary>
    public long Writes => Interlocked.Read(ref _writes);

    private long _writes;

    private void Enqueue(string @namespace, string name, JsonObject status)
    {
        var patch = new JsonObject();
        foreach (var field in StatusFields)
        {
            patch[field] = status[field]?.DeepClone();
        }

        var body = new JsonObject { ["status"] = patch }.ToJsonString();
        var entry = _entries.GetOrAdd($"{@namespace}/{name}", _ => new Entry(@namespace, name));
        lock (entry)
        {
            entry.Desired = body;
            if (entry.Flushing || entry.Desired == entry.Written)
            {
                return;
            }

            entry.Flushing = true;
        }

        var task = Task.Run(() => FlushAsync(entry, _stopping.Token));
        _running[task] = true;
        _ = task.ContinueWith(t => _running.TryRemove(t, out _), TaskScheduler.Default);
    }

    /// <summary>Writes the entry's latest status until what was written is what is desired; one loop per resource at a time.</summary>
    private async Task FlushAsync(Entry entry, CancellationToken cancellationToken)
    {
        var interval = options.Value.StatusWriteInterval;
        var backoff = options.Value.MinBackoff;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var wait = entry.LastWrite is { } last ? last + interval - time.GetUtcNow() : TimeSpan.Zero;
                if (wait > TimeSpan.Zero && !_draining.IsCancellationRequested)
                {
                    // Changes arriving meanwhile replace Desired: a burst becomes one write. A stopping silo writes
                    // the last state at once instead (a successor would only publish it at the grain's next activation).
                    using var waitOrDrain = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _draining.Token);
                    await Task.Delay(wait, time, waitOrDrain.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                    cancellationToken.ThrowIfCancellationRequested();
                }

                string body;
                lock (entry)
                {
                    if (entry.Removed || entry.Desired == entry.Written || entry.Desired is null)
                    {
                        entry.Flushing = false;
                        return;
                    }

                    body = entry.Desired;
                }

                try
                {
                    await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
                        new V1Patch(body, V1Patch.PatchType.MergePatch), GatewaySync.Group, GatewaySync.Version, entry.Namespace, GatewaySync.Plural, entry.Name,
                        fieldManager: KubernetesMode.FieldManager, cancellationToken: cancellationToken);
                    Interlocked.Increment(ref _writes);
                    backoff = options.Value.MinBackoff;
                    lock (entry)
                    {
                        entry.Written = body;
                        entry.LastWrite = time.GetUtcNow();
                    }
                }
                catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
                {
                    // The custom resource is gone: its deletion reaches the grain through the watch.
                    LogGone(logger, entry.Namespace, entry.Name);
                    lock (entry)
                    {
                        entry.Flushing = false;
                        _entries.TryRemove(new KeyValuePair<string, Entry>($"{entry.Namespace}/{entry.Name}", entry));
                        return;
                    }
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    // Whatever failed (409, 5xx, no connection, a timeout), this loop is the only one for the
                    // resource: it must keep trying, or the status would stay stale until the next change.
                    LogWriteFailed(logger, entry.Namespace, entry.Name, backoff, e.Message);
                    await Task.Delay(backoff, time, cancellationToken);
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, options.Value.MaxBackoff.Ticks));
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        lock (entry)
        {
            entry.Flushing = false;
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _draining.CancelAsync();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(DrainTimeout);
        await Task.WhenAll(_running.Keys).WaitAsync(deadline.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _stopping.CancelAsync();
        await Task.WhenAll(_running.Keys).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose()
    {
        _draining.Dispose();
        _stopping.Dispose();
    }

    private sealed class Entry(string @namespace, string name)
    {
        public string Namespace { get; } = @namespace;

        public string Name { get; } = name;

        public string? Desired { get; set; }

        public string? Written { get; set; }

        public DateTimeOffset? LastWrite { get; set; }

        public bool Flushing { get; set; }

        public bool Removed { get; set; }
    }

    [LoggerMessage(EventId = 7100, Level = LogLevel.Warning, Message = "GatewaySync {Namespace}/{Name}: writing the status failed, retrying in {Delay}: {Reason}")]
    private static partial void LogWriteFailed(ILogger logger, string @namespace, string name, TimeSpan delay, string reason);

    [LoggerMessage(EventId = 7101, Level = LogLevel.Debug, Message = "GatewaySync {Namespace}/{Name}: the custom resource is gone; its status is not written")]
    private static partial void LogGone(ILogger logger, string @namespace, string name);
}
