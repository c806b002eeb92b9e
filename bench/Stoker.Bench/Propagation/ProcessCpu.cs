using System.Globalization;

namespace Stoker.Bench.Propagation;

/// <summary>CPU time (user + system) a live process has used so far, from /proc/&lt;pid&gt;/stat, in milliseconds.</summary>
public static class ProcessCpu
{
    // USER_HZ: the unit of utime and stime; 100 on every Linux ABI .NET runs on.
    private const double TicksPerSecond = 100;

    public static double Milliseconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");

            // The command name (field 2) may hold spaces; the fields after its closing parenthesis are plain.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var user = long.Parse(fields[11], CultureInfo.InvariantCulture);
            var system = long.Parse(fields[12], CultureInfo.InvariantCulture);
            return (user + system) * 1000 / TicksPerSecond;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>The machine's load averages (1, 5, 15 min) from /proc/loadavg, as printed there; "unknown" if unreadable.</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
