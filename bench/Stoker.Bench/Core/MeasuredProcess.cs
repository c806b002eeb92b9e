using System.Diagnostics;
using System.Globalization;

namespace Stoker.Bench.Core;

/// <summary>The outcome of a command run to completion under <see cref="MeasuredProcess"/>.</summary>
public sealed record ProcessMeasurement(int ExitCode, TimeSpan Elapsed, long PeakRssKb, string StandardOutput, string StandardError)
{
    public double PeakRssMb => PeakRssKb / 1024.0;

    public ProcessMeasurement EnsureSuccess(string what) => ExitCode == 0
        ? this
        : throw new InvalidOperationException($"{what} exited with {ExitCode}: {StandardError.Trim()}");
}

/// <summary>
/// Runs a command to completion and measures its wall time and peak resident set size. Peak RSS comes from GNU
/// <c>time -f %M</c> (the kernel's maximum RSS of the process, from wait4's rusage); <c>bench/run.sh</c> installs
/// it. Hand-written because no library here reports a finished child's peak RSS.
/// </summary>
public static class MeasuredProcess
{
    public const string GnuTime = "/usr/bin/time";

    public static async Task<ProcessMeasurement> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        IReadOnlyDictionary<string, string>? environment = null,
        CancellationToken cancellationToken = default)
    {
        if (!File.Exists(GnuTime))
        {
            throw new InvalidOperationException($"{GnuTime} is missing: install the Debian package \"time\" (bench/run.sh does)");
        }

        var rssFile = Path.GetTempFileName();
        try
        {
            var start = new ProcessStartInfo(GnuTime)
            {
                WorkingDirectory = workingDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var a in new[] { "-f", "%M", "-o", rssFile, fileName }.Concat(arguments))
            {
                start.ArgumentList.Add(a);
            }

            foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            {
                start.Environment[key] = value;
            }

            var stopwatch = Stopwatch.StartNew();
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                await process.WaitForExitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            stopwatch.Stop();
            var rssText = (await File.ReadAllTextAsync(rssFile, cancellationToken)).Trim().Split('\n')[^1];
            var rss = long.TryParse(rssText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var kb) ? kb : 0;
            return new ProcessMeasurement(process.ExitCode, stopwatch.Elapsed, rss, await stdout, await stderr);
        }
        finally
        {
            File.Delete(rssFile);
        }
    }

    /// <summary>A running process's peak RSS so far (VmHWM), in KB; 0 once it has exited.</summary>
    public static long PeakRssKb(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }

    /// <summary>A running process's current RSS (VmRSS), in KB; 0 once it has exited.</summary>
    public static long RssKb(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }
}
