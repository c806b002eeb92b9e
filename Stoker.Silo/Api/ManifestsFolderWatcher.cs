using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Stoker.Silo.Api;

/// <summary>
/// Drives <see cref="ManifestsFolderReconciler"/>: a pass at start, a pass after every burst of file events once the
/// folder has been quiet for the debounce time, and a pass every rescan interval because file watchers drop events
/// (buffer overflows, network and container filesystems, ConfigMap symlink swaps).
/// </summary>
public sealed partial class ManifestsFolderWatcher(
    ManifestsFolderReconciler reconciler,
    IOptions<ManifestsOptions> options,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<ManifestsFolderWatcher> logger) : BackgroundService
{
    /// <summary>A pass that could not reach the control plane is retried this soon rather than at the next rescan.</summary>
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(2);

    /// <summary>A folder that never goes quiet is still read at least this often.</summary>
    private const int MaxDebounceRounds = 20;

    // One pending signal is enough: a pass reads the whole folder.
    private readonly Channel<bool> _changes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (reconciler.Root is not { } root)
        {
            return;
        }

        // The first pass waits for the host to have started: in the silo's own host the grains answer only then.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        LogWatching(logger, root, options.Value.RescanInterval);
        using var watcher = CreateWatcher(root);
        var wait = options.Value.RescanInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var result = await reconciler.ScanAsync(stoppingToken);
                wait = result.Settling > 0 ? options.Value.Debounce
                    : result.Failures > 0 ? RetryAfterFailure
                    : options.Value.RescanInterval;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Whatever went wrong (the folder vanished, the silo is stopping), the host must keep running.
                LogScanFailed(logger, root, e);
                wait = RetryAfterFailure;
            }

            try
            {
                if (await WaitForChangeAsync(wait, stoppingToken))
                {
                    await DebounceAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private FileSystemWatcher? CreateWatcher(string root)
    {
        try
        {
            var watcher = new FileSystemWatcher(root)
            {
                IncludeSubdirectories = true,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
            };
            FileSystemEventHandler changed = (_, _) => _changes.Writer.TryWrite(true);
            watcher.Created += changed;
            watcher.Changed += changed;
            watcher.Deleted += changed;
            watcher.Renamed += (_, _) => _changes.Writer.TryWrite(true);
            watcher.Error += (_, e) =>
            {
                LogWatcherError(logger, root, e.GetException());
                _changes.Writer.TryWrite(true);
            };
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception e) when (e is IOException or ArgumentException or PlatformNotSupportedException)
        {
            // Out of inotify instances, for example: the periodic rescan still keeps the folder applied.
            LogWatcherError(logger, root, e);
            return null;
        }
    }

    /// <summary>True when a change was signalled, false when the wait ran out.</summary>
    private async Task<bool> WaitForChangeAsync(TimeSpan timeout, CancellationToken stoppingToken)
    {
        using var expiry = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, expiry.Token);
        try
        {
            await _changes.Reader.WaitToReadAsync(linked.Token);
            return true;
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task DebounceAsync(CancellationToken stoppingToken)
    {
        for (var round = 0; round < MaxDebounceRounds; round++)
        {
            _changes.Reader.TryRead(out _);
            await Task.Delay(options.Value.Debounce, time, stoppingToken);
            if (!_changes.Reader.TryPeek(out _))
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 6210, Level = LogLevel.Information, Message = "Applying GatewaySync manifests from {Root} (rescan every {RescanInterval})")]
    private static partial void LogWatching(ILogger logger, string root, TimeSpan rescanInterval);

    [LoggerMessage(EventId = 6211, Level = LogLevel.Warning, Message = "Watching {Root} for changes failed; relying on the periodic rescan until the next event")]
    private static partial void LogWatcherError(ILogger logger, string root, Exception exception);

    [LoggerMessage(EventId = 6212, Level = LogLevel.Error, Message = "Reading the manifests folder {Root} failed; retrying")]
    private static partial void LogScanFailed(ILogger logger, string root, Exception exception);
}
