namespace Stoker.Demo.Tour;

/// <summary>
/// The tour as the views show it: a checklist of steps, the gateways' rows and closing notes. The tour writes it; the
/// live view reads snapshots from another thread, the plain view prints each change as a line.
/// </summary>
public sealed class TourState
{
    private readonly Lock _lock = new();
    private readonly List<TourStep> _steps = [];
    private readonly List<GatewayRow> _gateways = [];
    private readonly List<string> _notes = [];

    /// <summary>Every change, as one line of text (the plain view prints these).</summary>
    public event Action<string>? Changed;

    public string Title { get; set; } = "Stoker demo";

    public (IReadOnlyList<TourStep> Steps, IReadOnlyList<GatewayRow> Gateways, IReadOnlyList<string> Notes) Snapshot()
    {
        lock (_lock)
        {
            return ([.. _steps], [.. _gateways], [.. _notes]);
        }
    }

    /// <summary>Adds a running step and returns its index.</summary>
    public int Begin(string title, string detail = "")
    {
        int index;
        lock (_lock)
        {
            _steps.Add(new TourStep(title, StepState.Running, detail, null));
            index = _steps.Count - 1;
        }

        Changed?.Invoke($"... {title}{(detail.Length > 0 ? ": " + detail : "")}");
        return index;
    }

    public void Detail(int index, string detail)
    {
        lock (_lock)
        {
            _steps[index] = _steps[index] with { Detail = detail };
        }
    }

    public void Complete(int index, string detail, TimeSpan took)
    {
        TourStep step;
        lock (_lock)
        {
            step = _steps[index] = _steps[index] with { State = StepState.Done, Detail = detail, Took = took };
        }

        Changed?.Invoke($"ok  {step.Title}: {detail} ({Format(took)})");
    }

    public void Fail(int index, string detail)
    {
        TourStep step;
        lock (_lock)
        {
            step = _steps[index] = _steps[index] with { State = StepState.Failed, Detail = detail };
        }

        Changed?.Invoke($"FAILED {step.Title}: {detail}");
    }

    /// <summary>The running step, if any (for failing it when something throws).</summary>
    public int? Running()
    {
        lock (_lock)
        {
            var index = _steps.FindLastIndex(s => s.State == StepState.Running);
            return index < 0 ? null : index;
        }
    }

    public void SetGateways(IEnumerable<GatewayRow> rows)
    {
        lock (_lock)
        {
            _gateways.Clear();
            _gateways.AddRange(rows);
        }
    }

    /// <summary>Replaces a gateway's row; a change of status or commit is reported as a line.</summary>
    public void UpdateGateway(GatewayRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        GatewayRow? before;
        lock (_lock)
        {
            var index = _gateways.FindIndex(g => g.Name == row.Name);
            before = index < 0 ? null : _gateways[index];
            if (index < 0)
            {
                _gateways.Add(row);
            }
            else
            {
                _gateways[index] = row;
            }
        }

        if (before is null || before.Status != row.Status || before.Commit != row.Commit)
        {
            Changed?.Invoke($"    {row.Name} ({row.Profile}): {row.Status}"
                + (row.Commit is { } c ? $" at {Short(c)}" : "")
                + (row.FilesChanged is { } f ? $", {f} files changed" : "")
                + (row.SyncDuration is { } d ? $", sync took {d}" : "")
                + (row.ReachedAfter is { } r ? $", reached in {Format(r)}" : "")
                + (row.Message is { Length: > 0 } m ? $" ({m})" : ""));
        }
    }

    public void Note(string line)
    {
        lock (_lock)
        {
            _notes.Add(line);
        }

        Changed?.Invoke(line);
    }

    public static string Short(string commit) => commit.Length > 7 ? commit[..7] : commit;

    public static string Format(TimeSpan time) =>
        time < TimeSpan.FromSeconds(1) ? $"{time.TotalMilliseconds:0} ms" : $"{time.TotalSeconds:0.0} s";
}
