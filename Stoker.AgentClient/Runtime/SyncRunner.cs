using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Stoker.Sync.Git;
using Stoker.AgentClient.Ignition;
using Stoker.Sync;
using Stoker.Grains.Interfaces.Messages;

namespace Stoker.AgentClient.Runtime;

/// <summary>
/// One sync, start to finish (docs/architecture.md): designer gate, fetch, sync engine, scan,
/// and the report. Never throws for a failed sync: the failure is the report.
/// </summary>
public sealed partial class SyncRunner(
    AgentOptions options, IgnitionClient ignition, AgentMetrics metrics, AgentHealth health, TimeProvider time, ILoggerFactory loggers) : IDisposable
{
    public static readonly string AgentVersion = typeof(SyncRunner).Assembly.GetName().Version?.ToString(3) ?? "dev";

    private readonly ILogger _logger = loggers.CreateLogger<SyncRunner>();
    private readonly DesignerSessionGate _designers = new(ignition, time, loggers.CreateLogger<DesignerSessionGate>());
    private readonly IdleMemoryCompactor _compactor = new(time, loggers.CreateLogger<IdleMemoryCompactor>());
    private GitCheckout? _checkout;
    private string _lastSyncedCommit = "";
    private bool _warnedHostKeysUnverified;
    private bool _loggedTokenFileOverride;

    // The change feed of the data directory, set up before the first sync (which scans in full) and kept for the
    // process's life, so later syncs look only at what changed (docs/sync-engine.md, "The change feed").
    private DataDirectoryWatcher? _watcher;

    public void Dispose() => _watcher?.Dispose();

    /// <summary>
    /// Runs one sync. <paramref name="reportWaiting"/> receives the interim <c>Pending</c> report while the <c>wait</c>
    /// designer policy holds the sync; <paramref name="stopRequested"/> (SIGTERM) ends such a wait, while
    /// <paramref name="cancellationToken"/> (the shutdown deadline) bounds everything else.
    /// <paramref name="askCredentials"/> asks the control plane for the repository's credentials (the agent's session
    /// calling <c>GetGitCredentials</c>); it is called before every fetch of a repository with <c>spec.git.auth</c>
    /// unless <c>GIT_TOKEN_FILE</c> is set (docs/private-repositories.md).
    /// </summary>
    public async Task<SyncOutcome> RunAsync(
        DesiredState desired,
        SyncKind kind,
        Func<SyncReport, Task>? reportWaiting,
        Func<CancellationToken, Task<GitFetchCredentials>>? askCredentials,
        CancellationToken stopRequested,
        CancellationToken cancellationToken)
    {
        var profileName = desired.ProfileName;
        var started = time.GetTimestamp();
        var baseReport = new SyncReport
        {
            DesiredVersion = desired.Version,
            SyncedRef = desired.Ref,
            SyncedCommit = desired.Commit,
            AgentVersion = AgentVersion,
            ProfileName = profileName,
            DryRun = desired.DryRun,
            LastSyncTime = time.GetUtcNow(),
        };

        if (desired.Profile is not { } profile)
        {
            metrics.SyncSkipped.WithLabels("profile_error").Inc();
            return SyncOutcome.RetryOnTrigger(Failed(baseReport, desired.ProfileError ?? $"profile \"{profileName}\" is not available", profileName, started));
        }

        if (profile.Paused)
        {
            metrics.SyncSkipped.WithLabels("paused").Inc();
            return Recorded(await ScanAndFinishAsync(baseReport, kind, desired.DryRun, started, cancellationToken));
        }

        if (kind == SyncKind.Triggered && !desired.DryRun)
        {
            var decision = await CheckDesignersAsync(profile.DesignerSessionPolicy, baseReport, reportWaiting, stopRequested, cancellationToken);
            metrics.DesignerSessionsActive.Set(decision.ActiveAtStart);
            metrics.DesignerSessionsBlocked.Set(decision.Blocked ? 1 : 0);
            if (decision.Blocked)
            {
                // Nothing is recorded as synced, so the next trigger tries the same commit again (docs/standalone-agent.md).
                metrics.SyncSkipped.WithLabels("designer_blocked").Inc();
                return SyncOutcome.RetryOnTrigger(
                    Failed(baseReport with { DesignerSessionsBlocked = true }, decision.ErrorMessage ?? decision.ToString(), profileName, started));
            }
        }

        SyncResult result;
        try
        {
            var commit = await FetchAsync(desired, askCredentials, cancellationToken);
            using var tree = _checkout!.Open(commit);
            var request = new SyncRequest
            {
                Source = tree,
                DataDirectory = options.DataPath,
                Profile = profile,
                // What belongs to the gateway comes from the agent's own settings; the desired state brings the
                // resource's part (namespace, resource name, ref, commit, vars) and the labels discovery saw.
                Context = desired.Template with
                {
                    GatewayName = options.GatewayName,
                    PodName = options.PodName,
                    PodOrdinal = TemplateContext.OrdinalOf(options.PodName, MergedLabels(desired)),
                    Labels = MergedLabels(desired),
                    Commit = desired.Commit,
                },
                DryRun = desired.DryRun,
                StateDirectory = Path.Join(options.RepoPath, "state"),
            };

            // The engine does synchronous file I/O; it runs to completion even during shutdown, so that every
            // file it started on is replaced and the manifest is consistent.
            var engine = new SyncEngine(time, loggers.CreateLogger<SyncEngine>());
            result = await Task.Run(() => RunEngine(engine, request), CancellationToken.None);
        }
        catch (Exception e) when (e is SyncException or GitCheckoutException or GitCredentialsUnavailableException or IOException or UnauthorizedAccessException
                                       or LibGit2Sharp.LibGit2SharpException)
        {
            var message = e switch
            {
                SyncException => "sync engine: " + e.Message,
                GitCheckoutException => "git: " + e.Message,
                GitCredentialsUnavailableException => "git credentials: " + e.Message,
                _ => $"{e.GetType().Name}: {GitCheckout.Redact(e.Message)}",
            };
            return SyncOutcome.Transient(Failed(baseReport, message, profileName, started));
        }
        finally
        {
            // The tree, the comparison and the engine's result are garbage from here on (docs/sync-engine.md, Memory).
            _compactor.Schedule();
        }

        metrics.SyncDuration.WithLabels(profileName).Observe(result.Duration.TotalSeconds);
        metrics.FilesChanged.WithLabels(profileName).Set(result.FilesChanged);
        metrics.FilesAdded.WithLabels(profileName).Set(result.Added.Count);
        metrics.FilesModified.WithLabels(profileName).Set(result.Modified.Count);
        metrics.FilesDeleted.WithLabels(profileName).Set(result.Deleted.Count);
        LogSynced(_logger, desired.Commit, result.Added.Count, result.Modified.Count, result.Deleted.Count, result.Duration.TotalMilliseconds);
        var engineReport = result.ToReport();
        var report = engineReport with
        {
            DesiredVersion = baseReport.DesiredVersion,
            SyncedRef = baseReport.SyncedRef,
            AgentVersion = baseReport.AgentVersion,
            ProfileName = profileName,
            LastSyncTime = baseReport.LastSyncTime,
        };
        return Recorded(await ScanAndFinishAsync(report, kind, desired.DryRun, started, cancellationToken));
    }

    /// <summary>
    /// Runs the engine with the change feed's paths (or a full scan when the feed says so); a dry run writes no
    /// manifest, so it scans in full and leaves the feed for the next real sync. A failed sync gives its paths back.
    /// </summary>
    private SyncResult RunEngine(SyncEngine engine, SyncRequest request)
    {
        if (request.DryRun)
        {
            return engine.Run(request, CancellationToken.None);
        }

        _watcher ??= new DataDirectoryWatcher(options.DataPath, time, options.VerifyInterval);
        var changes = _watcher.Take();
        try
        {
            return engine.Run(request with { ChangedSinceManifest = changes }, CancellationToken.None);
        }
        catch
        {
            _watcher.Restore(changes);
            throw;
        }
    }

    private SyncOutcome Recorded(SyncReport report)
    {
        _lastSyncedCommit = report.SyncedCommit;
        return SyncOutcome.Done(report);
    }

    /// <summary>
    /// The designer gate; while <c>wait</c> holds the sync the control plane sees <c>Pending</c> with
    /// <c>designerSessionsBlocked</c> and the commit last synced (docs/resource-reference.md), and SIGTERM ends the wait (blocked).
    /// The first query runs to completion even after SIGTERM: only waiting is given up.
    /// </summary>
    private async Task<DesignerGateDecision> CheckDesignersAsync(
        string? policy, SyncReport baseReport, Func<SyncReport, Task>? reportWaiting, CancellationToken stopRequested, CancellationToken cancellationToken)
    {
        using var gate = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var abortWait = default(CancellationTokenRegistration);
        try
        {
            return await _designers.CheckAsync(
                policy,
                async (_, _) =>
                {
                    if (reportWaiting is not null)
                    {
                        await reportWaiting(baseReport with
                        {
                            SyncStatus = SyncStatus.Pending,
                            SyncedCommit = _lastSyncedCommit,
                            DesignerSessionsBlocked = true,
                        });
                    }

                    abortWait = stopRequested.Register(gate.Cancel);
                },
                gate.Token);
        }
        finally
        {
            await abortWait.DisposeAsync();
        }
    }

    private async Task<SyncReport> ScanAndFinishAsync(SyncReport report, SyncKind kind, bool dryRun, long started, CancellationToken cancellationToken)
    {
        string status;
        string scanResult;
        string? error = null;
        if (dryRun)
        {
            (status, scanResult) = (SyncStatus.Synced, "");
        }
        else if (health.Stopping)
        {
            // docs/standalone-agent.md: a sync that completes during shutdown does not call the gateway. A native sidecar is
            // stopped after the gateway container, so the call would only fail; the next start's post-commission
            // re-sync scans.
            (status, scanResult) = (SyncStatus.Pending, "scan skipped: the agent is shutting down");
        }
        else if (kind == SyncKind.Initial)
        {
            var gatewayHealth = await ignition.HealthCheckAsync(cancellationToken);
            (status, scanResult) = (SyncStatus.Pending, gatewayHealth.IsHealthy ? "" : $"health check failed: {gatewayHealth.Error}");
        }
        else
        {
            var scanStarted = time.GetTimestamp();
            var scan = await ignition.ScanAsync(cancellationToken);
            metrics.ScanDuration.Observe(time.GetElapsedTime(scanStarted).TotalSeconds);
            metrics.ScanTotal.WithLabels(scan.Succeeded ? "success" : "error").Inc();
            scanResult = scan.ToString();
            status = scan.Succeeded ? SyncStatus.Synced : SyncStatus.Error;
            error = scan.Succeeded ? null : "scan failed: " + scan.Error;
        }

        metrics.SyncTotal.WithLabels(report.ProfileName ?? "", "success").Inc();
        metrics.LastSyncSuccess.Set(1);
        metrics.LastSyncTimestamp.Set(time.GetUtcNow().ToUnixTimeSeconds());
        return report with
        {
            SyncStatus = status,
            LastScanResult = scanResult,
            ErrorMessage = error,
            LastSyncDuration = report.LastSyncDuration == TimeSpan.Zero ? time.GetElapsedTime(started) : report.LastSyncDuration,
        };
    }

    private SyncReport Failed(SyncReport report, string message, string profileName, long started)
    {
        LogFailed(_logger, report.SyncedCommit, message);
        metrics.SyncTotal.WithLabels(profileName, "error").Inc();
        metrics.LastSyncSuccess.Set(0);
        return report with { SyncStatus = SyncStatus.Error, ErrorMessage = message, LastSyncDuration = time.GetElapsedTime(started) };
    }

    private async Task<string> FetchAsync(
        DesiredState desired, Func<CancellationToken, Task<GitFetchCredentials>>? askCredentials, CancellationToken cancellationToken)
    {
        if (_checkout is null || _checkout.RemoteUrl != desired.RepoUrl)
        {
            _checkout = new GitCheckout(Path.Join(options.RepoPath, "git"), desired.RepoUrl, loggers.CreateLogger<GitCheckout>());
        }

        // Held only for this fetch: the next one asks again, so a rotated secret is used without a restart.
        var credentials = await CredentialsForAsync(desired, askCredentials, cancellationToken);

        var operation = Directory.Exists(_checkout.RepositoryPath) ? "fetch" : "clone";
        var started = Stopwatch.GetTimestamp();
        try
        {
            var fetched = await Task.Run(() => _checkout.Fetch(desired.Ref, credentials, cancellationToken), cancellationToken);
            metrics.GitFetchTotal.WithLabels(operation, "success").Inc();
            if (!string.Equals(fetched, desired.Commit, StringComparison.OrdinalIgnoreCase) && desired.Commit.Length == 40)
            {
                // The ref moved after the control plane resolved it; sync the commit we were asked for when we have it.
                try
                {
                    using var probe = _checkout.Open(desired.Commit);
                    return desired.Commit;
                }
                catch (Exception e) when (e is GitCheckoutException or LibGit2Sharp.LibGit2SharpException or ArgumentException)
                {
                    return await Task.Run(() => _checkout.Fetch(desired.Commit, credentials, cancellationToken), cancellationToken);
                }
            }

            return fetched;
        }
        catch
        {
            metrics.GitFetchTotal.WithLabels(operation, "error").Inc();
            throw;
        }
        finally
        {
            metrics.GitFetchDuration.WithLabels(operation).Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    /// <summary>
    /// The credentials for this fetch: <c>GIT_TOKEN_FILE</c> when set (re-read every time; the control plane is never
    /// asked), else, for a repository with <c>spec.git.auth</c>, what the control plane derives now, used only when it
    /// is for the desired repository itself.
    /// </summary>
    private async Task<GitFetchCredentials?> CredentialsForAsync(
        DesiredState desired, Func<CancellationToken, Task<GitFetchCredentials>>? askCredentials, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(options.GitTokenFile))
        {
            if (!_loggedTokenFileOverride)
            {
                _loggedTokenFileOverride = true;
                LogTokenFileOverride(_logger);
            }

            return GitTokenFile.ReadForFetch(options.GitTokenFile);
        }

        if (desired.GitAuth is null)
        {
            return null;
        }

        if (askCredentials is null)
        {
            throw new GitCredentialsUnavailableException("the repository needs credentials (spec.git.auth) and this agent has no control-plane connection to ask for them; set GIT_TOKEN_FILE");
        }

        GitFetchCredentials answer;
        try
        {
            answer = await askCredentials(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new GitCredentialsUnavailableException($"asking the control plane failed ({e.GetType().Name}: {GitCheckout.Redact(e.Message)})", e);
        }

        if (answer.Error is { } error)
        {
            throw new GitCredentialsUnavailableException(error);
        }

        if (!string.Equals(answer.RepoUrl, desired.RepoUrl, StringComparison.Ordinal))
        {
            // Never send a credential to a repository it was not given for (docs/private-repositories.md).
            throw new GitCredentialsUnavailableException(
                $"the control plane's credentials are for {GitCheckout.Redact(answer.RepoUrl)}, not {GitCheckout.Redact(desired.RepoUrl)}: refusing to use them for another repository");
        }

        if (answer.AuthType is GitFetchCredentials.SshType && answer.KnownHosts is null && !_warnedHostKeysUnverified)
        {
            // The control plane's SSHHostKeyVerification rule: without known_hosts any host key is accepted.
            _warnedHostKeysUnverified = true;
            LogHostKeysUnverified(_logger, GitCheckout.Redact(desired.RepoUrl));
        }

        LogCredentialsReceived(_logger, answer.AuthType, answer.Fingerprint);
        return answer.AuthType is GitFetchCredentials.None ? null : answer;
    }

    private IReadOnlyDictionary<string, string> MergedLabels(DesiredState desired)
    {
        var labels = new Dictionary<string, string>(desired.Template.Labels, StringComparer.Ordinal);
        foreach (var (key, value) in options.Labels)
        {
            labels[key] = value;
        }

        return labels;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Synced {Commit}: {Added} added, {Modified} modified, {Deleted} deleted in {Milliseconds} ms")]
    private static partial void LogSynced(ILogger logger, string commit, int added, int modified, int deleted, double milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Fetching with the token in GIT_TOKEN_FILE (read again before every fetch); the control plane is not asked for git credentials")]
    private static partial void LogTokenFileOverride(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SSH host keys of {Remote} are not verified: spec.git.auth.sshKey has no knownHosts (the SSHHostKeyVerification condition); set it to enable MITM protection")]
    private static partial void LogHostKeysUnverified(ILogger logger, string remote);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Git credentials from the control plane: {AuthType}, fingerprint {Fingerprint}")]
    private static partial void LogCredentialsReceived(ILogger logger, string authType, string fingerprint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sync of {Commit} failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string commit, string error);
}
