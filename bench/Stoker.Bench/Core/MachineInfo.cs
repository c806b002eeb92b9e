using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Stoker.Bench.Core;

/// <summary>The machine, date and commit a report was measured on.</summary>
public sealed record MachineInfo(string Cpu, int Cores, string Memory, string OperatingSystem, string Runtime, string Git, string Commit, DateTimeOffset Date)
{
    public static MachineInfo Collect(string repositoryRoot, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var cpu = ReadField("/proc/cpuinfo", "model name", ':') ?? RuntimeInformation.ProcessArchitecture.ToString();
        var memKb = ReadField("/proc/meminfo", "MemTotal", ':')?.Split(' ')[0];
        var memory = long.TryParse(memKb, out var kb) ? $"{kb / 1024.0 / 1024.0:0.0} GiB" : "unknown";
        var os = ReadField("/etc/os-release", "PRETTY_NAME", '=')?.Trim('"') ?? RuntimeInformation.OSDescription;
        var commit = Run("git", repositoryRoot, "rev-parse", "--short=12", "HEAD") ?? "unknown";
        var dirty = Run("git", repositoryRoot, "status", "--porcelain", "--untracked-files=no");
        if (!string.IsNullOrEmpty(dirty))
        {
            commit += " (with uncommitted changes)";
        }

        return new MachineInfo(cpu, Environment.ProcessorCount, memory, os, RuntimeInformation.FrameworkDescription,
            Run("git", repositoryRoot, "--version") ?? "unknown", commit, time.GetUtcNow());
    }

    private static string? ReadField(string file, string key, char separator)
    {
        try
        {
            foreach (var line in File.ReadLines(file))
            {
                var at = line.IndexOf(separator, StringComparison.Ordinal);
                if (at > 0 && line[..at].Trim() == key)
                {
                    return line[(at + 1)..].Trim();
                }
            }
        }
        catch (IOException)
        {
        }

        return null;
    }

    private static string? Run(string file, string directory, params string[] args)
    {
        try
        {
            var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in args)
            {
                start.ArgumentList.Add(a);
            }

            using var p = Process.Start(start)!;
            var output = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            return p.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
