using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Stoker.AgentClient.Control;
using Stoker.AgentClient.Ignition;
using Stoker.Grains.Interfaces.Grains;
using Stoker.Grains.Interfaces.Messages;

namespace Stoker.AgentClient.Runtime;

/// <summary>
/// The agent's life (docs/standalone-agent.md): register with the Gateway grain,
/// run the initial sync before the gateway starts, the post-commission re-sync once it answers, then react to
/// pushes. The heartbeat renews the subscription and re-registers after a control-plane restart, so a push missed
/// while disconnected is pulled. Syncs run one at a time on this loop.
/// </summary>
/// <remarks>
/// Shutdown (docs/standalone-agent.md) happens in <see cref="StoppingAsync"/>, which the host runs before it stops any service:
/// readiness turns 503 while the health server still answers, no new sync starts, and the sync in flight finishes
/// (and reports through the still-connected client) until the host's shutdown deadline cancels it.
/// </remarks>
public sealed partial class AgentWorker(
    IClusterClient client,
    IHostApplicationLifetime lifetime,
    AgentOptions options,
    SyncRunner runner,
    IgnitionClient ignition,
    AgentHealth health,
    AgentMetrics metrics,
    TimeProvider time,
    ILogger<AgentWorker> logger) : BackgroundService, IHostedLifecycleService
{
    private readonly DesiredStateInbox _inbox = new(client.ServiceProvider.GetRequiredService<Orleans.Serialization.Serializer<DesiredState>>());
    private readonly string _agentId = Guid.NewGuid().ToString("N");
    private readonly TaskCompletionSource _gatewayUp = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopRequested = new();
    private IGatewayObserver? _observer;

    /// <summary>
    /// The session token: proposed with the first registration (drawn here, so that a registration retried after its
    /// answer was lost resumes this agent's own session), then the one the last accepted registration returned.
    /// </summary>
    private volatile string? _sessionToken = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    private readonly SemaphoreSlim _registering = new(1, 1);
    private DesiredState? _lastSynced;
    private bool _lastSucceeded;
    private int _failures;
    private DateTimeOffset _retryAt = DateTimeOffset.MaxValue;
    private volatile bool _postCommissionPending;

    private TimeSpan SyncPeriod => TimeSpan.FromSeconds(_inbox.Current?.Profile?.SyncPeriod is > 0 and var seconds ? seconds : options.SyncPeriodSeconds);

    private IGatewayAgentGrain Grain => client.GetGrain<IGatewayAgentGrain>(options.GatewayKey);

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>SIGTERM: stop taking work and wait, at most until <paramref name="cancellationToken"/> (the shutdown deadline), for the sync in flight.</summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        health.MarkStopping();
        LogStopping(logger, options.ShutdownTimeout.TotalSeconds);
        await _stopRequested.CancelAsync();
        if (ExecuteTask is { IsCompleted: false } running)
        {
            try
            {
                await running.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                LogShutdownDeadline(logger, options.ShutdownTimeout.TotalSeconds);
            }
        }
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Dispose()
    {
        _stopRequested.Dispose();
        _registering.Dispose();
        base.Dispose();
    }

    /// <param name="stoppingToken">Cancelled at the shutdown deadline; SIGTERM itself only sets <see cref="_stopRequested"/>.</param>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, _stopRequested.Token);
        var stop = linked.Token;

        // Services start together so that the health server answers at once; the Orleans client's start returns
        // only once it reached the control plane (it retries until then), and the host reports "started" after that.
        if (!await WaitForAsync(lifetime.ApplicationStarted, stop))
        {
            return;
        }

        // The client holds observers weakly: this field keeps the inbox reachable for the agent's whole life.
        _inbox.UseSession(_sessionToken!);
        _inbox.PushRefused += () =>
        {
            metrics.PushesRefused.Inc();
            LogPushRefused(logger, options.GatewayKey);
        };
        _observer = client.CreateObjectReference<IGatewayObserver>(_inbox);
        LogStarting(logger, options.GatewayKey, _agentId);
        await RegisterUntilDoneAsync(stop);

        // The heartbeat has a loop of its own: a long clone or a designer wait must not let the session expire.
        using var heartbeatStop = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var heartbeat = HeartbeatLoopAsync(heartbeatStop.Token);
        try
        {
            await RunAsync(stop, stoppingToken);
        }
        finally
        {
            await heartbeatStop.CancelAsync();
            await heartbeat;
        }

        await UnregisterAsync(stoppingToken);
        LogStopped(logger, options.GatewayKey);
    }

    /// <param name="stop">SIGTERM or the deadline: no new work.</param>
    /// <param name="deadline">The shutdown deadline, which alone may cancel a sync in flight.</param>
    private async Task RunAsync(CancellationToken stop, CancellationToken deadline)
    {
        var initial = await WaitForUsableStateAsync(stop);
        if (initial is null)
        {
            return;
        }

        await SyncAsync(initial, SyncKind.Initial, deadline);
        health.MarkStarted();
        _ = Task.Run(() => WaitForGatewayAsync(stop), CancellationToken.None);

        var lastPeriodic = time.GetUtcNow();
        while (!stop.IsCancellationRequested)
        {
            // The profile's syncPeriod replaces SYNC_PERIOD as soon as the profile is known, and again whenever it changes.
            var now = time.GetUtcNow();
            var periodic = now >= lastPeriodic + SyncPeriod;
            if (periodic)
            {
                lastPeriodic = now;
            }

            if (_postCommissionPending && !stop.IsCancellationRequested && _inbox.Current is { Stopped: false } current)
            {
                _postCommissionPending = false;
                await SyncAsync(current, SyncKind.PostCommission, deadline);
            }

            if (!stop.IsCancellationRequested && _inbox.Current is { Stopped: false } desired && ShouldSync(desired, periodic))
            {
                await SyncAsync(desired, SyncKind.Triggered, deadline);
            }

            await WaitAsync(Min(lastPeriodic + SyncPeriod, _retryAt) - time.GetUtcNow(), stop);
        }
    }

    /// <summary>A new desired state always syncs; the same one again only when a retry is due.</summary>
    private bool ShouldSync(DesiredState desired, bool periodic)
    {
        if (_lastSynced is null || !_lastSynced.SameContentAs(desired) || _lastSynced.Paused != desired.Paused)
        {
            // A new desired state starts a fresh backoff.
            _failures = 0;
            _retryAt = DateTimeOffset.MaxValue;
            return true;
        }

        if (_lastSucceeded)
        {
            if (periodic)
            {
                metrics.SyncSkipped.WithLabels("commit_unchanged").Inc();
            }

            return false;
        }

        if (_failures > 0)
        {
            if (time.GetUtcNow() < _retryAt)
            {
                if (periodic)
                {
                    metrics.SyncSkipped.WithLabels("backoff").Inc();
                }

                return false;
            }

            return true;
        }

        // Blocked by Designers or a profile error: no backoff, the next trigger tries the same state again.
        return periodic;
    }

    /// <param name="cancellationToken">The shutdown deadline: a sync is not abandoned on SIGTERM.</param>
    private async Task SyncAsync(DesiredState desired, SyncKind kind, CancellationToken cancellationToken)
    {
        var outcome = await runner.RunAsync(desired, kind, r => SendReportAsync(r, cancellationToken), AskGitCredentialsAsync, _stopRequested.Token, cancellationToken);
        _lastSynced = desired;
        _lastSucceeded = outcome.Recorded;
        if (outcome.BacksOff)
        {
            _failures++;
            var delay = AgentBackoff.FailedSync.Delay(_failures);
            _retryAt = time.GetUtcNow() + delay;
            LogBackoff(logger, _failures, delay.TotalSeconds);
        }
        else if (outcome.Recorded)
        {
            _failures = 0;
            _retryAt = DateTimeOffset.MaxValue;
        }

        await SendReportAsync(outcome.Report, cancellationToken);
    }

    /// <summary>The session asks its own Gateway grain, over the authenticated connection (docs/private-repositories.md).</summary>
    private async Task<GitFetchCredentials> AskGitCredentialsAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await Grain.GetGitCredentials(_sessionToken ?? "").WaitAsync(cancellationToken);
        }
        catch (CallRefusedException)
        {
            // As for reports: the control plane may have restarted since the last heartbeat and no longer know our
            // session. Registered again, the same session asks once more; refused again, the sync fails and says so.
            if (!await TryRegisterAsync(cancellationToken))
            {
                throw;
            }

            return await Grain.GetGitCredentials(_sessionToken ?? "").WaitAsync(cancellationToken);
        }
    }

    private async Task SendReportAsync(SyncReport report, CancellationToken cancellationToken)
    {
        try
        {
            try
            {
                await Grain.Report(_sessionToken ?? "", report).WaitAsync(cancellationToken);
            }
            catch (CallRefusedException refused)
            {
                // The control plane may no longer know our session (it restarted since the sync began, before the
                // next heartbeat re-registered): once registered again, the report is accepted.
                if (!await TryRegisterAsync(cancellationToken))
                {
                    throw new CallRefusedException(refused.Message + "; registering again failed too", refused);
                }

                await Grain.Report(_sessionToken ?? "", report).WaitAsync(cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogReportFailed(logger, e.Message);
        }
    }

    private async Task RegisterUntilDoneAsync(CancellationToken stoppingToken)
    {
        try
        {
            await AgentBackoff.Registration.RetryUntilTrue(time)
                .ExecuteAsync(async token => await TryRegisterAsync(token), stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down before the control plane accepted us.
        }
    }

    private async Task<bool> TryRegisterAsync(CancellationToken cancellationToken)
    {
        // The heartbeat loop and a refused report may both register again: one at a time, so that the second
        // presents the token the first obtained (and resumes that session) instead of a stale one (and is refused).
        try
        {
            await _registering.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        try
        {
            return await RegisterAsync(cancellationToken);
        }
        finally
        {
            _registering.Release();
        }
    }

    private async Task<bool> RegisterAsync(CancellationToken cancellationToken)
    {
        AgentIdentityToken? identity = null;
        if (options.AgentTokenFile is { } tokenFile)
        {
            try
            {
                identity = AgentTokenFile.Read(tokenFile);
            }
            catch (AgentTokenException e)
            {
                // Not fatal: the kubelet may be late writing or replacing the token. The registration is retried.
                metrics.Connected.Set(0);
                await Console.Error.WriteLineAsync($"stoker-agent: cannot register with {options.GatewayKey}: {e.Message}; retrying");
                return false;
            }
        }

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
                Identity = identity,
            };

            // The first call after the control plane went away hangs for the client's response timeout; do not
            // let it hold up a shutdown.
            var session = await Grain.Register(registration, _observer!, _sessionToken).WaitAsync(cancellationToken);
            _sessionToken = session.Token;
            _inbox.UseSession(session.Token);
            if (session.Desired is { } desired)
            {
                _inbox.Offer(desired);
            }

            metrics.Connected.Set(1);
            LogRegistered(logger, options.GatewayKey, session.Desired?.Version ?? 0);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception e)
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
            var version = await Grain.Heartbeat(_sessionToken ?? "", _observer!).WaitAsync(stoppingToken);
            metrics.Connected.Set(1);
            if (version < 0 || (version > 0 && version != (_inbox.Current?.Version ?? 0)))
            {
                // Not registered (the control plane restarted), a push we missed, or a lower version than ours: the
                // control plane lost its state and counts from 1 again under a new epoch. Register again to pull
                // its current state. Version 0 (it has none, e.g. the resource is deleted) has nothing to pull.
                await TryRegisterAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        catch (Exception e)
        {
            metrics.Connected.Set(0);
            LogHeartbeatFailed(logger, e.GetType().Name, e.Message);
        }
    }

    /// <summary>Ends the session on the way out, so that the agent's successor is accepted at once.</summary>
    private async Task UnregisterAsync(CancellationToken deadline)
    {
        if (_sessionToken is not { } token)
        {
            return;
        }

        try
        {
            // A control plane that is away must not hold up the shutdown: the session then simply expires.
            await Grain.Unregister(token).WaitAsync(TimeSpan.FromSeconds(5), time, deadline);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogUnregisterFailed(logger, e.GetType().Name, e.Message);
        }
    }

    private async Task<DesiredState?> WaitForUsableStateAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            if (_inbox.Current is { Stopped: false, Commit.Length: > 0 } desired)
            {
                return desired;
            }

            // The heartbeat loop re-registers when the control plane has a newer state; a push wakes this wait.
            await WaitAsync(options.HeartbeatInterval, stoppingToken);
        }

        return null;
    }

    /// <summary>Renews the subscription every <see cref="AgentOptions.HeartbeatInterval"/> until <paramref name="stoppingToken"/>.</summary>
    private async Task HeartbeatLoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.HeartbeatInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await HeartbeatAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>Post-commission (docs/standalone-agent.md): once the gateway answers, sync again on the main loop.</summary>
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

        // A token per wait, cancelled when the wait ends: the losers of WhenAny must not stay registered on the
        // agent's lifetime token (one leaked registration per heartbeat adds up over months).
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var gatewayUp = _gatewayUp.Task.IsCompleted ? Task.Delay(Timeout.Infinite, wait.Token) : _gatewayUp.Task;
        await Task.WhenAny(_inbox.WaitAsync(wait.Token), gatewayUp, Task.Delay(delay, time, wait.Token));
        await wait.CancelAsync();
    }

    private static async Task<bool> WaitForAsync(CancellationToken signal, CancellationToken cancellationToken)
    {
        var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var registration = signal.Register(() => fired.TrySetResult());
        try
        {
            await fired.Task.WaitAsync(cancellationToken);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentId} starting for gateway {Key}")]
    private static partial void LogStarting(ILogger logger, string key, string agentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A desired-state push for {Key} was dropped: its seal does not verify with this agent's session (not sent by the control plane, or for an older session)")]
    private static partial void LogPushRefused(ILogger logger, string key);

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered with {Key}; desired version {Version}")]
    private static partial void LogRegistered(ILogger logger, string key, long version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot register with {Key} yet ({Type}: {Error}); retrying")]
    private static partial void LogRegisterFailed(ILogger logger, string key, string type, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Could not end the session ({Type}: {Error}); it expires by itself")]
    private static partial void LogUnregisterFailed(ILogger logger, string type, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Heartbeat failed ({Type}: {Error}); will retry")]
    private static partial void LogHeartbeatFailed(ILogger logger, string type, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sync failed {Failures} time(s) in a row; next attempt in {Seconds} s")]
    private static partial void LogBackoff(ILogger logger, int failures, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not send the sync report: {Error}")]
    private static partial void LogReportFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutting down: readiness is off; a sync in progress may finish within {Seconds} s")]
    private static partial void LogStopping(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The sync in progress did not finish within the shutdown deadline ({Seconds} s, SHUTDOWN_TIMEOUT); abandoning it")]
    private static partial void LogShutdownDeadline(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent for {Key} stopped")]
    private static partial void LogStopped(ILogger logger, string key);
}
