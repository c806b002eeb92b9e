using System.Diagnostics;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Api;

/// <summary>Runs the built <c>stoker</c> CLI as a real process.</summary>
internal static class CliProcess
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The CLI in its own project's build output: the copy next to the test assembly lacks the Microsoft.Extensions
    /// assemblies the tests take from the ASP.NET shared framework, which the CLI's runtimeconfig does not name.
    /// </summary>
    public static string Dll { get; } = BuiltProgram.Find("Stoker.Cli", "stoker.dll");

    /// <param name="server">Passed as <c>--server</c> unless null.</param>
    /// <param name="environmentServer">The <c>STOKER_SERVER</c> the process sees (unset when null).</param>
    /// <param name="statePath">
    /// The <c>STOKER_STATE_PATH</c> the process sees: a silo's state folder, whose admin token it then sends to a
    /// loopback server; null points it at an empty folder, never at the machine's own default.
    /// </param>
    /// <param name="environmentToken">The <c>STOKER_TOKEN</c> the process sees (unset when null).</param>
    public static async Task<CliRun> RunAsync(Uri? server, IEnumerable<string> args, string? stdin = null, string? environmentServer = null,
        string? statePath = null, string? environmentToken = null)
    {
        Assert.True(File.Exists(Dll), $"stoker.dll not found at {Dll}");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        if (server is not null)
        {
            start.ArgumentList.Add("--server");
            start.ArgumentList.Add(server.ToString());
        }

        start.Environment.Remove("STOKER_SERVER");
        start.Environment.Remove("STOKER_TOKEN");
        start.Environment["STOKER_STATE_PATH"] = statePath ?? Path.Join(Path.GetTempPath(), "stoker-tests-no-state-" + Guid.NewGuid().ToString("N"));
        if (environmentToken is not null)
        {
            start.Environment["STOKER_TOKEN"] = environmentToken;
        }

        if (environmentServer is not null)
        {
            start.Environment["STOKER_SERVER"] = environmentServer;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var cancel = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"stoker {string.Join(' ', args)} did not finish within {Timeout}");
        }

        return new CliRun(process.ExitCode, await stdout, await stderr);
    }
}
