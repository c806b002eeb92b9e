using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Stoker.AgentClient.Control;
using Stoker.AgentClient.Ignition;
using Stoker.Grains.Interfaces.Grains;
using Stoker.Grains.Interfaces.Messages;

namespace Stoker.AgentClient.Runtime;

/// <summary>
/// The agent's life (agent.md §3–4 with an observer for the ConfigMap poll): register with the Gateway grain,
/// run the initial sync before the gateway starts, the post-commission re-sync once it answers, then react to
/// pushes. The heartbeat renews the subscription and re-registers after a control-plane restart, so a push missed
/// while disconnected is pulled. Syncs run one at a time on this loop.
/// </summary>
public sealed partial class AgentWorker(
    IClusterClient client,
    AgentOptions options,
    SyncRunner runner,
    IgnitionClient ignition,
    AgentHealth health,
    AgentMetrics metrics,
    TimeProvider time,
    ILogger<AgentWorker> logger) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);
    private readonly DesiredStateInbox _inbox = new();
    private readonly string _agentId = Guid.NewGuid().ToString("N");
    private readonly TaskCompletionSource _gatewayUp = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IGatewayObserver? _observer;
    private DesiredState? _lastSynced;
    private bool _lastSucceeded;
    private int _failures;
    private DateTimeOffset _retryAt = DateTimeOffset.MaxValue;
    private volatile bool _postCommissionPending;

    private IGatewayAgentGrain Grain => client.GetGrain<IGatewayAgentGrain>(options.GatewayKey);

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        health.MarkStopping();
        return base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The client holds observers weakly: this field keeps the inbox reachable for the agent's whole life.
        _observer = client.CreateObjectReference<IGatewayObserver>(_inbox);
        LogStarting(logger, options.GatewayKey, _agentId);
        await RegisterUntilDoneAsync(stoppingToken);
        var initial = await WaitForUsableStateAsync(stoppingToken);
        if (initial is null)
        {
            return;
        }

        await SyncAsync(initial, SyncKind.Initial, stoppingToken);
        health.MarkStarted();
        _ = Task.Run(() => WaitForGatewayAsync(stoppingToken), CancellationToken.None);

        var nextHeartbeat = time.GetUtcNow() + options.HeartbeatInterval;
        var nextPeriodic = time.GetUtcNow() + TimeSpan.FromSeconds(options.SyncPeriodSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            if (now >= nextHeartbeat)
            {
                await HeartbeatAsync(stoppingToken);
                nextHeartbeat = time.GetUtcNow() + options.HeartbeatInterval;
            }

            var periodic = now >= nextPeriodic;
            if (periodic)
            {
                nextPeriodic = now + TimeSpan.FromSeconds(_inbox.Current?.Profile?.SyncPeriod ?? options.SyncPeriodSeconds);
                await HeartbeatAsync(stoppingToken);
            }

            if (_postCommissionPending && _inbox.Current is { Stopped: false } current)
            {
                _postCommissionPending = false;
                await SyncAsync(current, SyncKind.PostCommission, stoppingToken);
            }

            var resync = _inbox.TakeResyncRequest();
            if (_inbox.Current is { Stopped: false } desired && ShouldSync(desired, resync is not null, periodic))
            {
                await SyncAsync(desired, SyncKind.Triggered, stoppingToken);
            }

            var wake = Min(nextHeartbeat, nextPeriodic, _retryAt) - time.GetUtcNow();
            await WaitAsync(wake, stoppingToken);
        }

        LogStopped(logger, options.GatewayKey);
    }

    private bool ShouldSync(DesiredState desired, bool resyncRequested, bool periodic)
    {
        var changed = _lastSynced is null || !_lastSynced.SameContentAs(desired) || _lastSynced.Paused != desired.Paused;
        if (changed && _lastSynced is not null && desired.Version > _lastSynced.Version)
        {
            // A new desired state starts a fresh backoff.
            _failures = 0;
            _retryAt = DateTimeOffset.MaxValue;
        }

        if (!changed && _lastSucceeded && !resyncRequested)
        {
            if (periodic)
            {
                metrics.SyncSkipped.WithLabels("commit_unchanged").Inc();
            }

            return false;
        }

        if (_failures > 0 && time.GetUtcNow() < _retryAt && !resyncRequested)
        {
            metrics.SyncSkipped.WithLabels("backoff").Inc();
            return false;
        }

        return true;
    }

    private async Task SyncAsync(DesiredState desired, SyncKind kind, CancellationToken stoppingToken)
    {
        var report = await runner.RunAsync(desired, kind, stoppingToken);
        _lastSynced = desired;
        _lastSucceeded = report.SyncStatus != SyncStatus.Error || report.ErrorMessage?.StartsWith("scan failed", StringComparison.Ordinal) == true;
        if (report.SyncStatus == SyncStatus.Error && !_lastSucceeded)
        {
            _failures++;
            var delay = TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, 30 * Math.Pow(2, _failures - 1)));
            _retryAt = time.GetUtcNow() + delay;
            LogBackoff(logger, _failures, delay.TotalSeconds);
        }
        else
        {
            _failures = 0;
            _retryAt = DateTimeOffset.MaxValue;
        }

        try
        {
            await Grain.Report(report);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            LogReportFailed(logger, e.Message);
        }
    }

    private async Task RegisterUntilDoneAsync(CancellationToken stoppingToken)
    {
        var attempt = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            if (await TryRegisterAsync())
            {
                return;
            }

            var delay = TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, attempt++)));
            await WaitAsync(delay, stoppingToken);
        }
    }

    private async Task<bool> TryRegisterAsync()
    {
        try
        {
            var registration = new AgentRegistration
            {
                AgentId = _agentId,
                AgentVersion = SyncRunner.AgentVersion,
                Profile = options.Profile,
                PodName = options.PodName,
                PodNamespace = options.PodNamespace,
                Labels = options.Labels,
                Hostname = Environment.MachineName,
            };
            var desired = await Grain.Register(registration, _observer!);
            if (desired is not null)
            {
                _inbox.Offer(desired);
            }

            metrics.Connected.Set(1);
            LogRegistered(logger, options.GatewayKey, desired?.Version ?? 0);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            metrics.Connected.Set(0);
            LogRegisterFailed(logger, options.GatewayKey, e.GetType().Name, e.Message);
            return false;
        }
    }

    private async Task HeartbeatAsync(CancellationToken stoppingToken)
    {
        try
        {
            var version = await Grain.Heartbeat(_agentId, _observer!);
            metrics.Connected.Set(1);
            if (version < 0 || version > (_inbox.Current?.Version ?? 0))
            {
                // A new activation (control plane restarted) or a push we missed: register again to pull the state.
                await TryRegisterAsync();
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            metrics.Connected.Set(0);
            LogHeartbeatFailed(logger, e.GetType().Name, e.Message);
        }
    }

    private async Task<DesiredState?> WaitForUsableStateAsync(CancellationToken stoppingToken)
    {
        var nextHeartbeat = time.GetUtcNow() + options.HeartbeatInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            if (_inbox.Current is { Stopped: false, Commit.Length: > 0 } desired)
            {
                return desired;
            }

            if (time.GetUtcNow() >= nextHeartbeat)
            {
                await HeartbeatAsync(stoppingToken);
                nextHeartbeat = time.GetUtcNow() + options.HeartbeatInterval;
            }

            await WaitAsync(nextHeartbeat - time.GetUtcNow(), stoppingToken);
        }

        return null;
    }

    /// <summary>Post-commission (agent.md §3.1): once the gateway answers, sync again on the main loop.</summary>
    private async Task WaitForGatewayAsync(CancellationToken stoppingToken)
    {
        var started = time.GetTimestamp();
        while (!stoppingToken.IsCancellationRequested)
        {
            var check = await ignition.PortCheckAsync(stoppingToken);
            if (check.IsUp)
            {
                metrics.GatewayStartupDuration.Observe(time.GetElapsedTime(started).TotalSeconds);
                _postCommissionPending = true;
                _gatewayUp.TrySetResult();
                return;
            }

            try
            {
                await Task.Delay(options.PostCommissionInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task WaitAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            await Task.WhenAny(_inbox.WaitAsync(stoppingToken), _gatewayUp.Task.IsCompleted ? Task.Delay(Timeout.Infinite, stoppingToken) : _gatewayUp.Task, Task.Delay(delay, time, stoppingToken));
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    private static DateTimeOffset Min(params DateTimeOffset[] values) => values.Min();

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentId} starting for gateway {Key}")]
    private static partial void LogStarting(ILogger logger, string key, string agentId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered with {Key}; desired version {Version}")]
    private static partial void LogRegistered(ILogger logger, string key, long version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot register with {Key} yet ({Type}: {Error}); retrying")]
    private static partial void LogRegisterFailed(ILogger logger, string key, string type, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Heartbeat failed ({Type}: {Error}); will retry")]
    private static partial void LogHeartbeatFailed(ILogger logger, string type, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sync failed {Failures} time(s) in a row; next attempt in {Seconds} s")]
    private static partial void LogBackoff(ILogger logger, int failures, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not send the sync report: {Error}")]
    private static partial void LogReportFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent for {Key} stopped")]
    private static partial void LogStopped(ILogger logger, string key);
}
