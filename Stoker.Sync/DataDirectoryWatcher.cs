namespace Stoker.Sync;

/// <summary>
/// The change feed of a long-lived agent (docs/sync-engine.md, "The change feed"): a <see cref="FileSystemWatcher"/>
/// (inotify on Linux) on the data directory records every path created, changed, deleted or renamed, so that a sync
/// can trust its manifest for every other file and skip the stat pass over all managed files.
/// <para>
/// <see cref="Take"/> hands the paths recorded so far to the next sync and starts a new set at once, so an event
/// that arrives while that sync runs is kept for the one after it, never lost. It answers null, meaning "scan in
/// full", on the first sync (what happened before the watcher started is unknown), after the watcher overflowed or
/// failed, when it cannot be set up, and once every <c>verifyInterval</c> (the scheduled full verification, which
/// also covers anything inotify cannot report, such as a change made through another mount). The agent's own writes
/// are recorded too; the next sync finds them equal to its manifest with one stat each, so they never count as drift.
/// </para>
/// </summary>
public sealed class DataDirectoryWatcher : IDisposable
{
    /// <summary>Beyond this many recorded paths a full scan is cheaper, and the set stays bounded whatever happens on disk.</summary>
    public const int MaxRecordedPaths = 4096;

    private readonly string _dataDirectory;
    private readonly TimeProvider _time;
    private readonly TimeSpan _verifyInterval;
    private readonly Lock _gate = new();
    private HashSet<string> _changed = new(StringComparer.Ordinal);
    private bool _fullScanNeeded = true;
    private long _lastFullScan;
    private FileSystemWatcher? _watcher;
    private bool _failed;
    private bool _disposed;

    /// <param name="dataDirectory">The data directory the syncs write (watched with its subfolders).</param>
    /// <param name="time">The clock of the scheduled full verification.</param>
    /// <param name="verifyInterval">How often a full scan runs anyway; zero scans on every sync (the feed is never trusted).</param>
    public DataDirectoryWatcher(string dataDirectory, TimeProvider time, TimeSpan verifyInterval)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(verifyInterval, TimeSpan.Zero);
        var full = Path.GetFullPath(dataDirectory);
        _dataDirectory = full.Length > 1 ? full.TrimEnd(Path.DirectorySeparatorChar) : full;
        _time = time;
        _verifyInterval = verifyInterval;
        StartWatching();
    }

    /// <summary>True while the watcher is set up and has not failed since.</summary>
    public bool Watching
    {
        get
        {
            lock (_gate)
            {
                return _watcher is not null;
            }
        }
    }

    /// <summary>
    /// The paths that may differ from the last manifest, for the next sync's <see cref="SyncRequest.ChangedSinceManifest"/>;
    /// null when that sync must scan in full. Call it right before the sync; if the sync fails, give the answer back
    /// with <see cref="Restore"/>.
    /// </summary>
    public IReadOnlyCollection<string>? Take()
    {
        FileSystemWatcher? failed = null;
        try
        {
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_watcher is null || _failed)
                {
                    // Set up (again) before the scan the caller is about to run, so nothing after that scan goes unseen.
                    failed = Detach();
                    StartWatching();
                    _fullScanNeeded = true;
                }

                return TakeLocked();
            }
        }
        finally
        {
            failed?.Dispose();
        }
    }

    private HashSet<string>? TakeLocked()
    {
        var now = _time.GetTimestamp();
        if (_watcher is null || _fullScanNeeded || _verifyInterval == TimeSpan.Zero || _time.GetElapsedTime(_lastFullScan, now) >= _verifyInterval)
        {
            _fullScanNeeded = false;
            _lastFullScan = now;
            _changed = new HashSet<string>(StringComparer.Ordinal);
            return null;
        }

        var taken = _changed;
        _changed = new HashSet<string>(StringComparer.Ordinal);
        return taken;
    }

    /// <summary>The paths recorded so far, sorted, without taking them (what the next <see cref="Take"/> would start from).</summary>
    public IReadOnlyList<string> Recorded()
    {
        lock (_gate)
        {
            return [.. _changed.Order(StringComparer.Ordinal)];
        }
    }

    /// <summary>Gives back what <see cref="Take"/> returned when the sync it was for did not complete.</summary>
    public void Restore(IReadOnlyCollection<string>? taken)
    {
        lock (_gate)
        {
            if (taken is null)
            {
                _fullScanNeeded = true;
                return;
            }

            foreach (var path in taken)
            {
                Record(path);
            }
        }
    }

    public void Dispose()
    {
        FileSystemWatcher? watcher;
        lock (_gate)
        {
            _disposed = true;
            watcher = Detach();
        }

        // Outside the lock: an event handler in flight waits for it.
        watcher?.Dispose();
    }

    private void StartWatching()
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            Directory.CreateDirectory(_dataDirectory);
            var watcher = new FileSystemWatcher(_dataDirectory)
            {
                IncludeSubdirectories = true,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size
                    | NotifyFilters.Attributes | NotifyFilters.CreationTime,
                // The largest buffer allowed; an overflow only costs a full scan, but it costs one.
                InternalBufferSize = 64 * 1024,
            };
            watcher.Created += OnChanged;
            watcher.Changed += OnChanged;
            watcher.Deleted += OnChanged;
            watcher.Renamed += OnRenamed;
            watcher.Error += OnError;
            watcher.EnableRaisingEvents = true;
            _watcher = watcher;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or PlatformNotSupportedException)
        {
            // No inotify (instances or watches exhausted, an unsupported file system): every sync scans in full.
            _watcher = null;
        }
    }

    /// <summary>Stops the current watcher's events (its late ones are ignored) and hands it over for disposal outside the lock.</summary>
    private FileSystemWatcher? Detach()
    {
        var watcher = _watcher;
        _watcher = null;
        _failed = false;
        if (watcher is not null)
        {
            watcher.Created -= OnChanged;
            watcher.Changed -= OnChanged;
            watcher.Deleted -= OnChanged;
            watcher.Renamed -= OnRenamed;
            watcher.Error -= OnError;
        }

        return watcher;
    }

    private void OnChanged(object sender, FileSystemEventArgs e) => RecordEvent(sender, e.FullPath, null);

    private void OnRenamed(object sender, RenamedEventArgs e) => RecordEvent(sender, e.FullPath, e.OldFullPath);

    private void OnError(object sender, ErrorEventArgs e)
    {
        // An overflow (InternalBufferOverflowException) or a failed watcher: events may be missing, so the next sync
        // scans in full; the watcher is set up again right before it.
        lock (_gate)
        {
            if (ReferenceEquals(sender, _watcher))
            {
                _fullScanNeeded = true;
                _failed = true;
                _changed = new HashSet<string>(StringComparer.Ordinal);
            }
        }
    }

    private void RecordEvent(object sender, string fullPath, string? oldFullPath)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(sender, _watcher))
            {
                return; // a stopped watcher's late event; the full scan that follows covers it
            }

            Record(Relative(fullPath));
            if (oldFullPath is not null)
            {
                Record(Relative(oldFullPath));
            }
        }
    }

    private void Record(string? path)
    {
        if (path is null || _fullScanNeeded)
        {
            return;
        }

        _changed.Add(path);
        if (_changed.Count > MaxRecordedPaths)
        {
            _fullScanNeeded = true;
            _changed = new HashSet<string>(StringComparer.Ordinal);
        }
    }

    /// <summary>The '/'-separated path inside the data directory; null for anything outside it.</summary>
    private string? Relative(string fullPath)
    {
        var relative = Path.GetRelativePath(_dataDirectory, fullPath);
        if (relative == ".")
        {
            return "";
        }

        if (relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            return null;
        }

        return Path.DirectorySeparatorChar == '/' ? relative : relative.Replace(Path.DirectorySeparatorChar, '/');
    }
}
