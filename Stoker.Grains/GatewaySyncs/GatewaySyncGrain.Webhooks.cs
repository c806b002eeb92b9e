using Microsoft.Extensions.Logging;
using Stoker.Grains.Events;
using Stoker.Grains.Interfaces.Messages;

namespace Stoker.Grains.GatewaySyncs;

/// <summary>
/// The webhook rate limit per resource (docs/webhooks.md, docs/security.md). It lives here rather than in the
/// receiver because a receiver runs on every silo: counted per silo, a resource behind N silos would take N times
/// the limit. The grain is the one place every request for the resource passes.
/// </summary>
public sealed partial class GatewaySyncGrain
{
    private WebhookWindow? _webhookWindow;
    private IGrainTimer? _webhookTrailing;

    public async Task<WebhookRefDecision> SubmitWebhookRef(RefRequest request, WebhookRateLimit limit)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(limit);
        var window = _webhookWindow ??= new WebhookWindow(time);
        if (!window.TryTake(limit, out var retryAfter))
        {
            window.Hold(request, limit);
            _webhookTrailing ??= StartWebhookTrailing(retryAfter);
            LogWebhookHeld(logger, this.GetPrimaryKeyString(), request.Ref, retryAfter);
            return WebhookRefDecision.Limited(retryAfter);
        }

        // This request is newer than anything held: the held one is superseded.
        window.Release();
        return WebhookRefDecision.Taken(await TakeWebhookRefAsync(request));
    }

    private async Task<RefRequestOutcome> TakeWebhookRefAsync(RefRequest request)
    {
        var outcome = await RequestRef(request);
        if (outcome == RefRequestOutcome.Accepted && S.Resource is { } resource)
        {
            // Recorded where the ref is taken, so a held request is recorded when it is passed on.
            events.Record(resource, GatewaySyncEvents.WebhookReceived(request.Source, request.Ref));
        }

        return outcome;
    }

    private IGrainTimer StartWebhookTrailing(TimeSpan due) =>
        this.RegisterGrainTimer(OnWebhookWindowOpensAsync, new GrainTimerCreationOptions
        {
            DueTime = due,
            Period = Timeout.InfiniteTimeSpan,
            // A held request must survive idle collection until it is passed on.
            KeepAlive = true,
        });

    private async Task OnWebhookWindowOpensAsync(CancellationToken cancellationToken)
    {
        _webhookTrailing?.Dispose();
        _webhookTrailing = null;
        if (_webhookWindow is not { Held: { } held, HeldLimit: { } limit } window)
        {
            return;
        }

        if (!window.TryTake(limit, out var retryAfter))
        {
            // The timer fired a moment before the window's end by the grain's clock: wait out the rest.
            _webhookTrailing = StartWebhookTrailing(retryAfter);
            return;
        }

        window.Release();
        try
        {
            var outcome = await TakeWebhookRefAsync(held);
            LogWebhookHeldTaken(logger, this.GetPrimaryKeyString(), held.Ref, outcome);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Nobody waits for this answer any more; the resource's polling is the fallback.
            LogWebhookHeldFailed(logger, this.GetPrimaryKeyString(), held.Ref, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Key}: webhook ref {Ref} held for {RetryAfter} (rate limit)")]
    private static partial void LogWebhookHeld(ILogger logger, string key, string @ref, TimeSpan retryAfter);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Key}: held webhook ref {Ref} passed on when the window opened: {Outcome}")]
    private static partial void LogWebhookHeldTaken(ILogger logger, string key, string @ref, RefRequestOutcome outcome);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Key}: held webhook ref {Ref} could not be passed on")]
    private static partial void LogWebhookHeldFailed(ILogger logger, string key, string @ref, Exception exception);
}
