using System.Diagnostics;
using System.Text.Json;

namespace Stoker.Tests.AgentCli;

/// <summary>Runs the built <c>stoker-agent</c> (the copy next to the test assembly) as a real process.</summary>
internal static class AgentProcess
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The agent in its own project's build output. The copy next to the test assembly cannot run: the tests
    /// get Microsoft.Extensions.* from the ASP.NET shared framework (through the silo), so those assemblies are
    /// not copied there, and the agent's runtimeconfig names only the base framework.
    /// </summary>
    public static string AgentDll { get; } = FindAgent();

    private static string FindAgent()
    {
        // .../Stoker.Tests/bin/<Configuration>/<tfm>/ → .../Stoker.AgentClient/bin/<Configuration>/<tfm>/stoker-agent.dll
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        for (var dir = testOutput; dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Join(dir.FullName, "Stoker.AgentClient", "bin", configuration, framework, "stoker-agent.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return Path.Join(AppContext.BaseDirectory, "stoker-agent.dll");
    }

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
