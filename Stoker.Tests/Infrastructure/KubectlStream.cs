using System.Diagnostics;

namespace Stoker.Tests.Infrastructure;

/// <summary>A kubectl command left running (<c>get -w</c>): its output lines as they arrive.</summary>
public sealed class KubectlStream
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly System.Text.StringBuilder _errors = new();

    internal KubectlStream(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_lines)
                {
                    _lines.Add(e.Data);
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_errors)
                {
                    _errors.AppendLine(e.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    /// <summary>Waits (polling, with a deadline) for a line that satisfies <paramref name="match"/>.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout, string what)
    {
        var line = await Eventually.Until(
            () => Task.FromResult(Lines.FirstOrDefault(match) ?? ""),
            line => line.Length > 0 || _process.HasExited,
            timeout,
            what);
        return line.Length > 0
            ? line
            : throw new Xunit.Sdk.XunitException($"kubectl exited before {what}; lines: {string.Join(" | ", Lines)}; stderr: {Errors}");
    }
}
