using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stoker.Grains.Events;
using Stoker.Grains.Interfaces.Events;
using Stoker.Grains.Interfaces.Grains;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Silo.Kubernetes.Events;

namespace Stoker.Silo.Api.Events;

/// <summary>
/// Local mode's event sink: each occurrence goes, one-way, to the GatewaySync's events grain, which correlates and
/// keeps it for the Events API (<c>kubectl describe</c>). A one-way call only queues a message, so neither a GatewaySync
/// grain's turn nor a webhook request waits for it; nothing here throws.
/// </summary>
public sealed partial class LocalEventRecorder(IGrainFactory grains, IOptions<LocalEventOptions> options, TimeProvider time, ILogger<LocalEventRecorder> logger)
    : IGatewaySyncEventSink
{
    private readonly int _maxMessageBytes = options.Value.MaxMessageBytes;

    public void Record(GatewaySync resource, GatewaySyncEvent @event)
    {
        try
        {
            if (resource?.Metadata is not { Name: { Length: > 0 } name } metadata || @event is null)
            {
                return;
            }

            var occurrence = new EventOccurrenceRecord(metadata.Uid, metadata.ResourceVersion, @event.Component, @event.Type, @event.Reason,
                EventText.Bound(@event.Message, _maxMessageBytes), time.GetUtcNow());
            var call = grains.GetGrain<IGatewaySyncEventsGrain>(GrainKeys.GatewaySync(metadata.Namespace ?? ObjectMeta.DefaultNamespace, name)).Record(occurrence);
            if (!call.IsCompleted)
            {
                _ = call.ContinueWith(t => LogRecordFailed(logger, t.Exception?.GetBaseException().Message ?? "failed"), CancellationToken.None,
                    TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
            else if (call.IsFaulted)
            {
                LogRecordFailed(logger, call.Exception?.GetBaseException().Message ?? "failed");
            }
        }
        catch (Exception e)
        {
            // An event is never worth failing a reconcile or a webhook.
            LogRecordFailed(logger, e.Message);
        }
    }

    [LoggerMessage(EventId = 6350, Level = LogLevel.Warning, Message = "An event could not be recorded: {Error}")]
    private static partial void LogRecordFailed(ILogger logger, string error);
}
