using System.Diagnostics;
using System.Text.Json;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.AgentCli;

/// <summary>Runs the built <c>stoker-agent</c> (the copy next to the test assembly) as a real process.</summary>
internal static class AgentProcess
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>The agent in its own project's build output (see <see cref="BuiltProgram"/>).</summary>
    public static string AgentDll { get; } = BuiltProgram.Find("Stoker.AgentClient", "stoker-agent.dll");

    public static ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        Assert.True(File.Exists(AgentDll), $"stoker-agent.dll not found next to the tests at {AgentDll}");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(AgentDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("GIT_TOKEN_FILE");
        start.Environment.Remove("GIT_SSH_KEY_FILE");
        start.Environment.Remove("GIT_KNOWN_HOSTS_FILE");
        return start;
    }

    public static async Task<AgentRun> RunAsync(params string[] args)
    {
        using var process = Process.Start(StartInfo(args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"stoker-agent {string.Join(' ', args)} did not finish within {Timeout}");
        }

        return new AgentRun(process.ExitCode, await stdout, await stderr);
    }
}
