using System.Globalization;

namespace Stoker.Demo.Processes;

/// <summary>
/// Every process the demo started, in start order, with a <c>pids</c> file in the work folder. Stopping goes in
/// reverse order (agents before the silo, the silo before its database) and proves each one ended.
/// </summary>
public sealed class ProcessSet(string pidsFile)
{
    private readonly List<ChildProcess> _children = [];
    private readonly Lock _lock = new();

    public IReadOnlyList<ChildProcess> Children
    {
        get
        {
            lock (_lock)
            {
                return [.. _children];
            }
        }
    }

    public ChildProcess Add(ChildProcess child)
    {
        ArgumentNullException.ThrowIfNull(child);
        lock (_lock)
        {
            _children.Add(child);
            File.AppendAllText(pidsFile, $"{child.Id.ToString(CultureInfo.InvariantCulture)} {child.Name}\n");
        }

        return child;
    }

    /// <summary>Forgets processes that ended (a start that is being retried on other ports).</summary>
    public void Remove(IEnumerable<ChildProcess> ended)
    {
        lock (_lock)
        {
            foreach (var child in ended)
            {
                _children.Remove(child);
            }
        }
    }

    /// <summary>Fails with the program's log tail if it has exited (it should be running).</summary>
    public void EnsureRunning()
    {
        foreach (var child in Children.Where(c => c.HasExited))
        {
            throw new DemoException($"{child.Name} (pid {child.Id}) exited with {child.ExitCode}; its log {child.LogPath} ends:\n{child.Tail()}");
        }
    }

    /// <summary>
    /// Ends what an earlier run in the same work folder left running (that run was killed outright, so it could not stop
    /// its children). Only processes that carry this folder's log variable are touched; returns how many there were.
    /// </summary>
    public static async Task<int> StopLeftoversAsync(string workDirectory, string logVariable)
    {
        var pidsFile = Path.Join(workDirectory, "pids");
        if (!File.Exists(pidsFile))
        {
            return 0;
        }

        var marker = logVariable + "=" + Path.Join(workDirectory, "logs") + "/";
        var stopped = 0;
        foreach (var line in await File.ReadAllLinesAsync(pidsFile))
        {
            if (line.Split(' ') is [var text, ..] && int.TryParse(text, CultureInfo.InvariantCulture, out var pid) && Carries(pid, marker))
            {
                await ChildProcess.SignalAsync(pid, "TERM", group: true);
                for (var i = 0; i < 50 && Carries(pid, marker); i++)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100));
                }

                await ChildProcess.SignalAsync(pid, "KILL", group: true);
                stopped++;
            }
        }

        return stopped;
    }

    private static bool Carries(int pid, string marker)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/environ").Contains(marker, StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Stops everything, newest first, in waves of processes of the same kind; returns what still runs.</summary>
    public async Task<IReadOnlyList<ChildProcess>> StopAllAsync()
    {
        var children = Children;
        var waves = children
            .Select((child, index) => (child, index))
            .GroupBy(x => Wave(x.child.Name))
            .OrderBy(g => g.Key);
        foreach (var wave in waves)
        {
            await Task.WhenAll(wave.Select(x => x.child.StopAsync(TimeSpan.FromSeconds(10))));
        }

        return [.. children.Where(c => !c.HasExited)];
    }

    // Agents first (they may be mid-sync), then gateways and the CLI, then the silo, then git, then its database.
    private static int Wave(string name) =>
        name.StartsWith("agent-", StringComparison.Ordinal) ? 0
        : name.StartsWith("gateway-", StringComparison.Ordinal) ? 1
        : name == Plan.DemoPlan.SiloService ? 2
        : name == Plan.DemoPlan.GitServerService ? 3
        : 4;
}
