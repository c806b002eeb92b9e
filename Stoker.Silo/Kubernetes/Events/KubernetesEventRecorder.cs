using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stoker.Grains.Events;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Grains.Interfaces.Serialization;

namespace Stoker.Silo.Kubernetes.Events;

/// <summary>
/// Records GatewaySync events as core/v1 Events on the custom resource (only resources taken from Kubernetes). A grain
/// or a webhook request only puts the occurrence on a bounded queue (the oldest dropped and counted when it is full);
/// one background loop aggregates them (<see cref="EventCorrelator"/>: repeats become count bumps, at most one write per
/// Event object a second) and writes them, retrying transient failures with a backoff. Nothing here blocks a caller or
/// stops the silo. Every silo records the events of what it runs; the leader is not involved.
/// </summary>
public sealed partial class KubernetesEventRecorder : BackgroundService, IGatewaySyncEventSink
{
    /// <summary>Kubernetes' limit on <c>reportingInstance</c>.</summary>
    private const int MaxInstanceLength = 128;

    private readonly IKubernetes _client;
    private readonly KubernetesEventOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<KubernetesEventRecorder> _logger;
    private readonly Channel<EventOccurrence> _queue;
    private readonly EventCorrelator _correlator;
    private long _recorded;
    private long _queueDropped;
    private long _reportedDropped;
    private long _created;
    private long _patched;
    private long _failed;
    private long _observed;
    private long _loggedDrops;
    private int _pending;

    public KubernetesEventRecorder(IKubernetes client, IOptions<KubernetesEventOptions> options, IOptions<StokerKubernetesOptions> kubernetes, TimeProvider time, ILogger<KubernetesEventRecorder> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(kubernetes);
        _client = client;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _queue = Channel.CreateBounded<EventOccurrence>(
            new BoundedChannelOptions(_options.QueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref _queueDropped));
        _correlator = new EventCorrelator(_options.CacheSize, _options.AggregationWindow, _options.MinWriteInterval, time);
        Instance = InstanceName(kubernetes.Value);
    }

    /// <summary>This silo's name in <c>reportingInstance</c>: the configured identity, the pod name, or the host and process.</summary>
    public string Instance { get; }

    /// <summary>Occurrences accepted onto the queue.</summary>
    public long Recorded => Interlocked.Read(ref _recorded);

    /// <summary>Occurrences lost: pushed out of a full queue, or evicted from the cache before they were written.</summary>
    public long Dropped => Interlocked.Read(ref _queueDropped) + Interlocked.Read(ref _reportedDropped);

    public long Created => Interlocked.Read(ref _created);

    public long Patched => Interlocked.Read(ref _patched);

    public long FailedWrites => Interlocked.Read(ref _failed);

    /// <summary>Whether everything recorded so far has been handled (written or given up); for tests and diagnostics.</summary>
    public bool IsIdle => Volatile.Read(ref _pending) == 0 && Interlocked.Read(ref _observed) + Interlocked.Read(ref _queueDropped) >= Recorded;

    public void Record(GatewaySync resource, GatewaySyncEvent @event)
    {
        try
        {
            if (resource?.Metadata is not { Name: { Length: > 0 } name } metadata
                || metadata.Annotations?.GetValueOrDefault(Annotations.Source) != KubernetesMode.SourceValue
                || @event is null)
            {
                return;
            }

            var key = new EventKey(metadata.Namespace ?? ObjectMeta.DefaultNamespace, name, metadata.Uid, @event.Component, @event.Type, @event.Reason,
                EventText.Bound(@event.Message, _options.MaxMessageBytes));
            if (_queue.Writer.TryWrite(new EventOccurrence(key, metadata.ResourceVersion, _time.GetUtcNow())))
            {
                Interlocked.Increment(ref _recorded);
            }
        }
        catch (Exception e)
        {
            // Whatever went wrong, the grain's turn goes on: an event is never worth failing a reconcile.
            LogRecordFailed(_logger, e.Message);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = _options.MinBackoff;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                Drain();
                var failed = false;
                foreach (var write in _correlator.TakeDue())
                {
                    switch (await WriteAsync(write, stoppingToken))
                    {
                        case WriteOutcome.Written:
                            backoff = _options.MinBackoff;
                            _correlator.Written(write);
                            break;
                        case WriteOutcome.GivenUp:
                            _correlator.Written(write);
                            break;
                        default:
                            failed = true;
                            break;
                    }

                    if (failed)
                    {
                        break;
                    }
                }

                Drain();
                if (failed)
                {
                    // The API server is likely down for every write: wait before trying any, not per event.
                    await Task.Delay(backoff, _time, stoppingToken);
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.MaxBackoff.Ticks));
                    continue;
                }

                await WaitForWorkAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // A hosted service that throws stops the host: events are not worth the silo. Later events stay queued
            // (and are dropped as the queue fills), which the log says.
            LogWriterStopped(_logger, e);
        }
    }

    /// <summary>Until an occurrence arrives or the next count bump is due.</summary>
    private async Task WaitForWorkAsync(CancellationToken stoppingToken)
    {
        var wait = _correlator.NextDue() is { } due ? due - _time.GetUtcNow() : Timeout.InfiniteTimeSpan;
        if (wait != Timeout.InfiniteTimeSpan && wait <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new CancellationTokenSource(wait, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timer.Token);
        try
        {
            await _queue.Reader.WaitToReadAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // The next write is due.
        }
    }

    private void Drain()
    {
        var read = 0;
        while (_queue.Reader.TryRead(out var occurrence))
        {
            _correlator.Observe(occurrence);
            read++;
        }

        // Pending first, then observed: a reader of IsIdle never sees an occurrence as handled before it is pending.
        Volatile.Write(ref _pending, _correlator.PendingCount);
        Interlocked.Add(ref _observed, read);
        var lost = _correlator.DroppedUnwritten;
        var queueLost = Interlocked.Read(ref _queueDropped);
        var reported = Interlocked.Read(ref _reportedDropped);
        if (lost != reported)
        {
            Interlocked.Exchange(ref _reportedDropped, lost);
        }

        if (lost + queueLost > _loggedDrops)
        {
            LogDropped(_logger, lost + queueLost - _loggedDrops, lost + queueLost);
            _loggedDrops = lost + queueLost;
        }
    }

    private async Task<WriteOutcome> WriteAsync(EventWrite write, CancellationToken stoppingToken)
    {
        using var timeout = new CancellationTokenSource(_options.WriteTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token);
        try
        {
            if (write.Create)
            {
                await CreateOrPatchAsync(write, linked.Token);
            }
            else
            {
                await PatchOrCreateAsync(write, linked.Token);
            }

            return WriteOutcome.Written;
        }
        catch (HttpOperationException e) when (IsPermanent(e.Response.StatusCode))
        {
            Interlocked.Increment(ref _failed);
            LogGivenUp(_logger, write.Key.Namespace, write.Key.Name, write.Key.Reason, (int)e.Response.StatusCode, Describe(e));
            return WriteOutcome.GivenUp;
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _failed);
            LogWriteFailed(_logger, write.Key.Namespace, write.Key.Name, write.Key.Reason, e is HttpOperationException h ? Describe(h) : e.Message);
            return WriteOutcome.Retry;
        }
    }

    /// <summary>A create that meets an existing object (an earlier create whose answer was lost) becomes a patch.</summary>
    private async Task CreateOrPatchAsync(EventWrite write, CancellationToken cancellationToken)
    {
        try
        {
            await CreateAsync(write, cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            await PatchAsync(write, cancellationToken);
        }
    }

    /// <summary>A patch of an object that is gone (expired, deleted) creates it again with the count so far, as client-go does.</summary>
    private async Task PatchOrCreateAsync(EventWrite write, CancellationToken cancellationToken)
    {
        try
        {
            await PatchAsync(write, cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            await CreateAsync(write, cancellationToken);
        }
    }

    private async Task CreateAsync(EventWrite write, CancellationToken cancellationToken)
    {
        var key = write.Key;
        var body = CoreEvents.Create(key, write.EventName, write.ResourceVersion, write.Count, write.FirstTimestamp, write.LastTimestamp, Instance);
        await _client.CoreV1.CreateNamespacedEventAsync(body, key.Namespace, fieldManager: KubernetesMode.FieldManager, cancellationToken: cancellationToken);
        Interlocked.Increment(ref _created);
    }

    private async Task PatchAsync(EventWrite write, CancellationToken cancellationToken)
    {
        var patch = new JsonObject
        {
            ["count"] = write.Count,
            ["lastTimestamp"] = KubeTimeJsonConverter.ToKubeString(write.LastTimestamp),
        };
        await _client.CoreV1.PatchNamespacedEventAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), write.EventName, write.Key.Namespace,
            fieldManager: KubernetesMode.FieldManager, cancellationToken: cancellationToken);
        Interlocked.Increment(ref _patched);
    }

    /// <summary>Refusals a retry cannot change (bad request, forbidden, invalid, the namespace gone); anything else is retried.</summary>
    private static bool IsPermanent(HttpStatusCode status) =>
        status is HttpStatusCode.BadRequest or HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed or HttpStatusCode.UnprocessableEntity
            or HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.UnsupportedMediaType;

    private static string Describe(HttpOperationException e) =>
        $"{(int)e.Response.StatusCode} {EventText.Bound(e.Response.Content, 256)}";

    private static string InstanceName(StokerKubernetesOptions options)
    {
        var name = KubernetesMode.SiloIdentity(options);
        return name.Length > MaxInstanceLength ? name[..MaxInstanceLength] : name;
    }

    private enum WriteOutcome
    {
        Written,
        GivenUp,
        Retry,
    }

    [LoggerMessage(EventId = 7200, Level = LogLevel.Warning, Message = "Event {Reason} on GatewaySync {Namespace}/{Name}: writing failed, retrying: {Error}")]
    private static partial void LogWriteFailed(ILogger logger, string @namespace, string name, string reason, string error);

    [LoggerMessage(EventId = 7201, Level = LogLevel.Warning, Message = "Event {Reason} on GatewaySync {Namespace}/{Name}: the API server refused it ({Status}), not retried: {Error}")]
    private static partial void LogGivenUp(ILogger logger, string @namespace, string name, string reason, int status, string error);

    [LoggerMessage(EventId = 7202, Level = LogLevel.Warning, Message = "{Count} event(s) dropped unwritten ({Total} in all): the API server has been unreachable for long, or events came faster than they could be written")]
    private static partial void LogDropped(ILogger logger, long count, long total);

    [LoggerMessage(EventId = 7204, Level = LogLevel.Error, Message = "The event writer stopped; no more events are written by this silo")]
    private static partial void LogWriterStopped(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 7203, Level = LogLevel.Warning, Message = "An event could not be recorded: {Error}")]
    private static partial void LogRecordFailed(ILogger logger, string error);
}
