using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading.Channels;

namespace Stoker.Tests.Docs;

/// <summary>
/// One bash process in a session of its own, fed commands one at a time on stdin the way a person types them, so
/// variables and background jobs (<c>&amp;</c>, <c>kill %1</c>) carry from one command to the next. Each command's
/// exit status comes back through a marker line. Disposing kills every process left in the session.
/// </summary>
internal sealed class ShellSession : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly StringBuilder _stderr = new();
    private readonly Task _readers;
    private int _bashPid;

    private ShellSession(Process process)
    {
        _process = process;
        _readers = Task.WhenAll(
            Task.Run(async () =>
            {
                while (await process.StandardOutput.ReadLineAsync() is { } line)
                {
                    await _lines.Writer.WriteAsync(line);
                }

                _lines.Writer.Complete();
            }),
            Task.Run(async () =>
            {
                while (await process.StandardError.ReadLineAsync() is { } line)
                {
                    lock (_stderr)
                    {
                        _stderr.AppendLine(line);
                    }
                }
            }));
    }

    /// <summary>The session's id (the bash process's id, as setsid made it a session leader).</summary>
    public int SessionId { get; private set; }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public static async Task<ShellSession> StartAsync(string workingDirectory, IReadOnlyDictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo("setsid")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in new[] { "--wait", "bash", "--noprofile", "--norc", "-s" })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        var session = new ShellSession(Process.Start(start) ?? throw new InvalidOperationException("could not start setsid bash"));
        var (_, pid) = await session.RunAsync("echo \"$$\"", TimeSpan.FromSeconds(30));
        session._bashPid = int.Parse(pid.Trim(), CultureInfo.InvariantCulture);
        session.SessionId = ReadStat(session._bashPid)?.Session ?? throw new InvalidOperationException("bash exited at once");
        return session;
    }

    /// <summary>Runs one command line in the shell; returns its exit status and what it wrote on stdout.</summary>
    public async Task<(int ExitCode, string Output)> RunAsync(string command, TimeSpan timeout)
    {
        var marker = $"__stoker_readme_done_{Guid.NewGuid():N}__";
        await _process.StandardInput.WriteAsync($"{command}\necho \"{marker} $?\"\n");
        await _process.StandardInput.FlushAsync();
        var output = new StringBuilder();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var line = await _lines.Reader.ReadAsync(deadline.Token);

                // Output without a final line break (curl's) puts the marker at the end of its last line.
                var at = line.IndexOf(marker, StringComparison.Ordinal);
                if (at >= 0)
                {
                    output.Append(line[..at]);
                    return (int.Parse(line[(at + marker.Length)..].Trim(), CultureInfo.InvariantCulture), output.ToString());
                }

                output.AppendLine(line);
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"\"{command}\" did not finish within {timeout.TotalSeconds:0} s; stdout so far:\n{output}\nstderr:\n{Stderr}");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"the shell exited during \"{command}\"; stdout:\n{output}\nstderr:\n{Stderr}");
        }
    }

    /// <summary>The processes of the session other than the shell itself (what its commands left running).</summary>
    public IReadOnlyList<int> Leftovers() =>
        [.. Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Select(name => int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0)
            .Where(pid => pid > 0 && pid != _bashPid && pid != _process.Id && ReadStat(pid)?.Session == SessionId)];

    public async ValueTask DisposeAsync()
    {
        foreach (var pid in Leftovers())
        {
            Kill(pid);
        }

        _process.StandardInput.Close();
        using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(exit.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        await _readers;
        _process.Dispose();
    }

    private static void Kill(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }

    /// <summary>Fields of <c>/proc/PID/stat</c> after the command name: state, ppid, pgrp, session.</summary>
    private static (int ParentPid, int Session)? ReadStat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (int.Parse(fields[1], CultureInfo.InvariantCulture), int.Parse(fields[3], CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}
