using System.Diagnostics;
using Stoker.Tests.AgentCli;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.AgentRuntime;

/// <summary><c>stoker-agent run</c> refuses bad settings before it starts anything: exit 2, every problem named on stderr.</summary>
public sealed class AgentOptionsTests : IDisposable
{
    private readonly TempDirectory _temp = new("agent-options");

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string, string[], string> InvalidSettings => new()
    {
        { "SILO_ENDPOINTS=nonsense", [], "SILO_ENDPOINTS (--silo-endpoints): \"nonsense\": must be host:port" },
        { "", ["--silo-endpoints", "127.0.0.1:0"], "SILO_ENDPOINTS (--silo-endpoints): \"127.0.0.1:0\": must be host:port" },
        { "", ["--sync-period", "abc"], "SYNC_PERIOD (--sync-period): \"abc\": must be an integer between 1 and 86400" },
        { "SYNC_PERIOD=0", [], "SYNC_PERIOD (--sync-period): \"0\": must be an integer between 1 and 86400" },
        { "CR_NAME=", [], "CR_NAME (--cr-name): required" },
        { "HEALTH_PORT=70000", [], "HEALTH_PORT (--health-port): \"70000\": must be an integer between 0 and 65535" },
        { "GATEWAY_PORT=http", [], "GATEWAY_PORT: \"http\": must be a port number 1-65535" },
        { "GATEWAY_TLS=maybe", [], "GATEWAY_TLS: \"maybe\": must be true or false" },
        { "DESIGNER_MAX_WAIT=forever", [], "DESIGNER_MAX_WAIT: \"forever\": must be a duration" },
        { "", ["--designer-poll-interval=0s"], "DESIGNER_POLL_INTERVAL: \"0s\": must be a positive duration" },
        { "", ["--no-such-option", "1"], "--no-such-option: unknown option" },
        { "", ["--cr-name"], "--cr-name: a value is required" },
        { "AGENT_TOKEN_FILE=token", [], "AGENT_TOKEN_FILE (--agent-token-file): \"token\": must be an absolute path" },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public async Task Run_InvalidSetting_ExitsTwoNamingTheOption(string variable, string[] args, string expected)
    {
        var environment = new Dictionary<string, string>
        {
            ["CR_NAME"] = "site",
            ["CR_NAMESPACE"] = "ns",
            ["REPO_PATH"] = _temp.Combine("work"),
            ["DATA_PATH"] = _temp.Combine("data"),
            ["SILO_ENDPOINTS"] = "127.0.0.1:1",
            ["HEALTH_PORT"] = "0",
            ["METRICS_PORT"] = "0",
        };
        if (variable.Split('=', 2) is [var name, var value])
        {
            environment[name] = value;
        }

        var (exitCode, stderr) = await RunAsync(environment, args);

        Assert.Equal(2, exitCode);
        Assert.Contains("stoker-agent run: " + expected, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_SeveralInvalidSettings_ReportsEveryOne()
    {
        var environment = new Dictionary<string, string> { ["CR_NAME"] = "", ["SILO_ENDPOINTS"] = "nonsense", ["REPO_PATH"] = _temp.Combine("work") };

        var (exitCode, stderr) = await RunAsync(environment, ["--sync-period", "abc", "--gateway-port", "0"]);

        Assert.Equal(2, exitCode);
        Assert.Contains("CR_NAME (--cr-name)", stderr, StringComparison.Ordinal);
        Assert.Contains("SILO_ENDPOINTS (--silo-endpoints)", stderr, StringComparison.Ordinal);
        Assert.Contains("SYNC_PERIOD (--sync-period)", stderr, StringComparison.Ordinal);
        Assert.Contains("GATEWAY_PORT: \"0\"", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_VariableSpelledInAnotherCase_IsNotRead()
    {
        var environment = new Dictionary<string, string>
        {
            ["cr_name"] = "site",
            ["CR_NAMESPACE"] = "ns",
            ["REPO_PATH"] = _temp.Combine("work"),
            ["SILO_ENDPOINTS"] = "127.0.0.1:1",
            ["HEALTH_PORT"] = "0",
            ["METRICS_PORT"] = "0",
        };

        var (exitCode, stderr) = await RunAsync(environment, []);

        Assert.Equal(2, exitCode);
        Assert.Contains("stoker-agent run: CR_NAME (--cr-name): required", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_HealthPortInUse_ExitsTwoNamingTheOption()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Any, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        var environment = new Dictionary<string, string>
        {
            ["CR_NAME"] = "site",
            ["CR_NAMESPACE"] = "ns",
            ["REPO_PATH"] = _temp.Combine("work"),
            ["SILO_ENDPOINTS"] = "127.0.0.1:1",
            ["HEALTH_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["METRICS_PORT"] = "0",
            ["SILO_ALLOW_INSECURE"] = "true",
        };

        var (exitCode, stderr) = await RunAsync(environment, []);

        Assert.Equal(2, exitCode);
        Assert.Contains($"stoker-agent run: HEALTH_PORT (--health-port): {port}: cannot listen on this port", stderr, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Stderr)> RunAsync(IReadOnlyDictionary<string, string> environment, IEnumerable<string> args)
    {
        var start = AgentProcess.StartInfo(["run", .. args]);
        foreach (var key in start.Environment.Keys.Where(k => Stoker.AgentClient.Runtime.AgentOptions.Settings.Any(s => s.Variable == k)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"stoker-agent run did not exit on invalid settings\n{await stdout}\n{await stderr}");
        }

        await stdout;
        return (process.ExitCode, await stderr);
    }
}
