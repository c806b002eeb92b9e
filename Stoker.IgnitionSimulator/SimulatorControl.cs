namespace Stoker.IgnitionSimulator;

/// <summary>
/// The simulator's behaviour and its record of calls. Tests hosting the simulator in-process use this object;
/// out-of-process users reach the same operations through <c>/_sim/control</c> and <c>/_sim/calls</c>.
/// Thread-safe: requests and the test thread read and change it concurrently.
/// </summary>
public sealed class SimulatorControl
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly List<RecordedCall> _calls = [];
    private readonly bool _initialListProjects;
    private long _sequence;
    private bool _starting;
    private DateTimeOffset? _startingUntil;
    private TimeSpan _delay;
    private ScanFailure? _scanFailure;
    private List<SimulatedDesignerSession> _designers = [];
    private DateTimeOffset _designersOpenedAt;
    private bool _listProjects;
    private bool _forbidToken;

    internal SimulatorControl(TimeProvider time, bool listProjects)
    {
        _time = time;
        _initialListProjects = listProjects;
        _listProjects = listProjects;
    }

    /// <summary>Every request to the gateway's own routes so far (not <c>/_sim/*</c>), in arrival order.</summary>
    public IReadOnlyList<RecordedCall> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    public SimulatorState State
    {
        get
        {
            lock (_gate)
            {
                return new SimulatorState(
                    IsStartingLocked(), _starting ? _startingUntil : null, (long)_delay.TotalMilliseconds, _scanFailure,
                    [.. _designers], _listProjects, _forbidToken, _calls.Count);
            }
        }
    }

    public bool IsStarting
    {
        get
        {
            lock (_gate)
            {
                return IsStartingLocked();
            }
        }
    }

    public void ClearCalls()
    {
        lock (_gate)
        {
            _calls.Clear();
        }
    }

    /// <summary>Scans answer <paramref name="statusCode"/>: the next <paramref name="count"/> matching calls, or all while <paramref name="count"/> is null.</summary>
    public void FailScans(int statusCode, int? count = null, ScanTarget target = ScanTarget.Both)
    {
        if (statusCode is < 100 or > 599)
        {
            throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "must be an HTTP status code (100-599)");
        }

        if (count is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "must be at least 1 (or null for every call)");
        }

        lock (_gate)
        {
            _scanFailure = new ScanFailure(statusCode, count, target);
        }
    }

    public void StopFailingScans()
    {
        lock (_gate)
        {
            _scanFailure = null;
        }
    }

    /// <summary>Every gateway request waits this long before it is answered; <see cref="TimeSpan.Zero"/> answers at once.</summary>
    public void SetDelay(TimeSpan delay)
    {
        if (delay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(delay), delay, "must not be negative");
        }

        lock (_gate)
        {
            _delay = delay;
        }
    }

    /// <summary>Reports <paramref name="count"/> open Designers (users <c>designer1</c>…, all on project <c>Project</c>).</summary>
    public void SetDesignerSessions(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        SetDesignerSessions(Enumerable.Range(1, count).Select(i => new SimulatedDesignerSession($"designer{i}", "Project")));
    }

    public void SetDesignerSessions(IEnumerable<SimulatedDesignerSession> sessions)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        var list = sessions.ToList();
        lock (_gate)
        {
            _designers = list;
            _designersOpenedAt = _time.GetUtcNow();
        }
    }

    public void ClearDesignerSessions() => SetDesignerSessions([]);

    /// <summary>
    /// Answers 503 on every gateway route, as Ignition does while it starts: for <paramref name="duration"/>, or
    /// until <see cref="SetRunning"/> when it is null.
    /// </summary>
    public void SetStarting(TimeSpan? duration = null)
    {
        if (duration is { } d && d <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "must be positive (or null for until told)");
        }

        lock (_gate)
        {
            _starting = true;
            _startingUntil = duration is { } span ? _time.GetUtcNow() + span : null;
        }
    }

    public void SetRunning()
    {
        lock (_gate)
        {
            _starting = false;
            _startingUntil = null;
        }
    }

    /// <summary>Scan and gateway-info answers also list the projects found under <c>{data-dir}/projects/*</c>.</summary>
    public void SetListProjects(bool enabled)
    {
        lock (_gate)
        {
            _listProjects = enabled;
        }
    }

    /// <summary>The configured token is recognised but answered 403, like an Ignition API key without the needed security level.</summary>
    public void SetForbidToken(bool enabled)
    {
        lock (_gate)
        {
            _forbidToken = enabled;
        }
    }

    /// <summary>Back to the behaviour the simulator started with (running, no delay, no failures, no Designers); calls are kept.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _starting = false;
            _startingUntil = null;
            _delay = TimeSpan.Zero;
            _scanFailure = null;
            _designers = [];
            _listProjects = _initialListProjects;
            _forbidToken = false;
        }
    }

    internal TimeSpan Delay
    {
        get
        {
            lock (_gate)
            {
                return _delay;
            }
        }
    }

    internal bool ListProjects
    {
        get
        {
            lock (_gate)
            {
                return _listProjects;
            }
        }
    }

    internal bool ForbidToken
    {
        get
        {
            lock (_gate)
            {
                return _forbidToken;
            }
        }
    }

    internal (IReadOnlyList<SimulatedDesignerSession> Sessions, TimeSpan Uptime) Designers
    {
        get
        {
            lock (_gate)
            {
                return ([.. _designers], _time.GetUtcNow() - _designersOpenedAt);
            }
        }
    }

    internal long Record(string method, string path, bool authorized)
    {
        lock (_gate)
        {
            var sequence = ++_sequence;
            _calls.Add(new RecordedCall(sequence, method, path, _time.GetUtcNow(), authorized, null));
            return sequence;
        }
    }

    internal void Complete(long sequence, int? status)
    {
        lock (_gate)
        {
            // Calls may have been cleared meanwhile; a missing entry is simply gone.
            var index = _calls.FindIndex(c => c.Sequence == sequence);
            if (index >= 0)
            {
                _calls[index] = _calls[index] with { Status = status };
            }
        }
    }

    /// <summary>The status a scan of <paramref name="endpoint"/> must fail with now, counting it against a limited failure.</summary>
    internal int? TakeScanFailure(ScanTarget endpoint)
    {
        lock (_gate)
        {
            if (_scanFailure is not { } failure || !failure.AppliesTo(endpoint))
            {
                return null;
            }

            if (failure.Remaining is { } remaining)
            {
                _scanFailure = remaining > 1 ? failure with { Remaining = remaining - 1 } : null;
            }

            return failure.StatusCode;
        }
    }

    private bool IsStartingLocked()
    {
        if (_starting && _startingUntil is { } until && _time.GetUtcNow() >= until)
        {
            _starting = false;
            _startingUntil = null;
        }

        return _starting;
    }
}
