using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Stoker.AgentClient.Runtime;
using Stoker.Cli;
using Stoker.Silo.Hosting;
using Stoker.Tests.Demo;
using Stoker.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Stoker.Tests.Docs;

/// <summary>The README's by-hand walk-through publishes into artifacts/publish, as the demo test does: never both at once.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReadmeCommandsCollection
{
    public const string Name = "README commands (publishes, starts a silo)";
}

/// <summary>
/// Every command the README shows is exercised: the by-hand block is run here, command by command in one shell, as
/// written (only its ports are moved to free ones and <c>mktemp</c> makes its folder inside this test's); the other
/// commands are exactly what another test or CI runs. A command added without coverage fails
/// <see cref="EveryReadmeCommand_IsRunHereOrByAnotherTestOrCi"/>.
/// </summary>
[Collection(ReadmeCommandsCollection.Name)]
public sealed partial class ReadmeCommandsTests(ITestOutputHelper output)
{
    private static readonly MarkdownFile Readme = MarkdownFile.Load(Checkout.Combine("README.md"));

    [Fact]
    public void EveryReadmeCommand_IsRunHereOrByAnotherTestOrCi()
    {
        var commands = ReadmeCommands.Extract(Readme);

        Assert.Contains(commands, c => c.Section == ReadmeCommands.CommandsSection);
        Assert.Contains(commands, c => c.Section == ReadmeCommands.ByHandSection);
        Assert.True(ReadmeCommands.Uncovered(commands).Count == 0,
            "README commands that no test or CI runs (run them in a test, or add them to ReadmeCommands.RunElsewhere with the test that runs them):\n"
            + string.Join('\n', ReadmeCommands.Uncovered(commands)));
    }

    [Fact]
    public void ACommandAddedOutsideTheByHandBlock_IsReportedUncovered()
    {
        var changed = MarkdownFile.Parse(File.ReadAllText(Readme.Path).Replace(
            "docker compose up --build\n", "docker compose up --build\ndocker compose logs -f \\\n  silo\n", StringComparison.Ordinal));

        var uncovered = ReadmeCommands.Uncovered(ReadmeCommands.Extract(changed));

        Assert.Equal("docker compose logs -f silo", Assert.Single(uncovered).Text);
    }

    [Fact]
    public void RunElsewhere_EveryEntryIsOnTheReadme()
    {
        var commands = ReadmeCommands.Extract(Readme).Select(c => c.Text).ToHashSet(StringComparer.Ordinal);

        var notOnTheReadme = ReadmeCommands.RunElsewhere.Keys.Where(c => !commands.Contains(c)).ToList();

        Assert.Empty(notOnTheReadme);
    }

    [Fact]
    public void TestCommand_IsWhatCiRuns()
    {
        var ci = File.ReadAllLines(Checkout.Combine(".ci", "run")).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();

        Assert.Equal("exec bash scripts/test.sh", ci[^1]);
        Assert.Contains(ReadmeCommands.Extract(Readme), c => c.Section == ReadmeCommands.CommandsSection && c.Text == "bash scripts/test.sh");
    }

    [Fact]
    public void RunCommand_IsWhatTheDemoTestRuns()
    {
        Assert.Contains(ReadmeCommands.Extract(Readme), c => c.Section == ReadmeCommands.CommandsSection && c.Text == DemoRunTests.RunCommand);
    }

    [Fact]
    public void ComposeCommand_StartsTheFileTheComposeTestsValidate()
    {
        // `docker compose up --build` reads docker-compose.yml in the current folder: the file ComposeTests hold to
        // `docker-compose config` and to the native demo's plan.
        Assert.Contains(ReadmeCommands.Extract(Readme), c => c.Text == "docker compose up --build");
        Assert.True(File.Exists(Checkout.Combine("docker-compose.yml")));
        Assert.NotNull(typeof(ComposeTests).GetMethod(nameof(ComposeTests.DockerComposeConfig_ComposeFile_IsAccepted)));
    }

    [Fact]
    public void ByHandBlock_ReliesOnTheDefaultsThisTestReplaces()
    {
        // The block leaves these at their defaults; the run below moves them to free ports through the environment.
        // Besides these, it gives the agent its silo's CA (SILO_CA_FILE, here the same CA as text).
        var ca = Stoker.Silo.Transport.SiloCertificateAuthority.CreateCa(TimeProvider.System.GetUtcNow(), "readme").ExportCertificatePem();
        var agent = AgentOptions.Parse(name => name switch { "CR_NAME" => "demo", "CR_NAMESPACE" => "demo", "SILO_CA" => ca, _ => null }, out var errors);

        Assert.Empty(errors);
        Assert.Equal("http://127.0.0.1:8080", StokerCommandLine.DefaultServer);
        Assert.Equal(8082, agent.HealthPort);
        Assert.Equal([new IPEndPoint(IPAddress.Loopback, new StokerSiloOptions().GatewayPort)], agent.SiloEndpoints);
    }

    [Fact]
    public async Task ByHandBlock_RunsAsWritten()
    {
        var commands = ReadmeCommands.Extract(Readme).Where(c => c.InCodeBlock && c.Section == ReadmeCommands.ByHandSection).ToList();
        Assert.NotEmpty(commands);

        using var temp = new TempDirectory("readme");
        var ports = DistinctFreePorts(6);
        var (siloHttp, gateway, health, metrics, siloPort, siloGateway) = (ports[0], ports[1], ports[2], ports[3], ports[4], ports[5]);
        var substitutions = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["127.0.0.1:8080"] = $"127.0.0.1:{siloHttp}",
            ["127.0.0.1:8088"] = $"127.0.0.1:{gateway}",
            ["GATEWAY_PORT=8088"] = $"GATEWAY_PORT={gateway}",
            ["127.0.0.1:8082"] = $"127.0.0.1:{health}",
        };
        var block = string.Join('\n', commands.Select(c => c.Text));
        var absent = substitutions.Keys.Where(k => !block.Contains(k, StringComparison.Ordinal)).ToList();
        Assert.Empty(absent);

        var environment = CleanEnvironment();
        environment["TMPDIR"] = temp.Path;
        // Never the machine user's state folder, even before the block exports its own (under the folder mktemp makes).
        environment["STOKER_STATE_PATH"] = temp.Combine("state");
        environment[StokerCommandLine.ServerVariable] = $"http://127.0.0.1:{siloHttp}";
        environment["Stoker__Silo__SiloPort"] = Text(siloPort);
        environment["Stoker__Silo__GatewayPort"] = Text(siloGateway);
        environment["SILO_ENDPOINTS"] = $"127.0.0.1:{siloGateway}";
        environment["HEALTH_PORT"] = Text(health);
        environment["METRICS_PORT"] = Text(metrics);

        // A publish that has to build starts no build servers: they would outlive the block in its session, and
        // other builds on the machine could be using them when the session is ended.
        environment["MSBUILDDISABLENODEREUSE"] = "1";
        environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        environment["UseSharedCompilation"] = "false";

        await using var shell = await ShellSession.StartAsync(Checkout.Root, environment);
        IReadOnlyList<int>? beforeBackground = null;
        try
        {
            foreach (var command in commands)
            {
                var text = substitutions.Aggregate(command.Text, (t, s) => t.Replace(s.Key, s.Value, StringComparison.Ordinal));
                if (text.EndsWith('&'))
                {
                    beforeBackground ??= shell.Leftovers();
                }

                if (text.Contains("stoker.dll get gs", StringComparison.Ordinal))
                {
                    // `get` right after `/readyz` may still show 0/1: wait for the post-commission sync, as the README says.
                    // The block exports its own STOKER_STATE_PATH (under the folder mktemp made), where the silo wrote its admin token.
                    await WaitForAllGatewaysSyncedAsync($"http://127.0.0.1:{siloHttp}", NamespaceOf(text), Path.Join(WorkFolder(temp.Path), "state"));
                }

                var timeout = text.StartsWith("bash deploy/publish.sh", StringComparison.Ordinal) ? TimeSpan.FromMinutes(15) : TimeSpan.FromMinutes(3);
                var (exitCode, stdout) = await shell.RunAsync(text, timeout);
                output.WriteLine($"$ {text}\n{stdout}(exit {exitCode})");
                Assert.True(exitCode == 0, $"{command}\nexited {exitCode}\n{stdout}\nstderr:\n{shell.Stderr}\n{Logs(temp.Path)}");
                await CheckAsync(text, stdout, temp.Path, shell, beforeBackground ?? []);
            }

            // The block ends what it started and removes what it made.
            Assert.Empty(shell.Leftovers().Except(beforeBackground ?? []));
            Assert.Empty(Directory.GetDirectories(temp.Path, "tmp.*"));
        }
        catch
        {
            output.WriteLine(Logs(temp.Path));
            throw;
        }
    }

    /// <summary>What each kind of command must have done, beyond exiting 0.</summary>
    private static async Task CheckAsync(string text, string stdout, string temp, ShellSession shell, IReadOnlyList<int> beforeBackground)
    {
        if (text.Contains("stoker-agent.dll sync", StringComparison.Ordinal))
        {
            var report = JsonNode.Parse(stdout)!;
            Assert.Equal("Synced", (string?)report["status"]);
            var data = Path.Join(WorkFolder(temp), DataFolder().Match(text).Groups["folder"].Value);
            var added = report["added"]!.AsArray().Select(a => (string)a!).ToList();
            Assert.NotEmpty(added);
            Assert.All(added, file => Assert.True(File.Exists(Path.Join(data, file)), $"{file} is not in {data}"));
        }
        else if (text.Contains("stoker.dll apply", StringComparison.Ordinal))
        {
            Assert.Matches(@"gatewaysync\.stoker\.io/\S+ (created|configured)", stdout);
        }
        else if (text.Contains("stoker.dll get gs", StringComparison.Ordinal))
        {
            Assert.Matches(@"\b(?<n>[1-9][0-9]*)/\k<n> synced\s+True\b", stdout);
        }
        else if (text.StartsWith("kill ", StringComparison.Ordinal))
        {
            // Everything the block started in the background stops on the README's own kill.
            await Eventually.Until(
                () => Task.FromResult(shell.Leftovers().Except(beforeBackground).ToList()), left => left.Count == 0, TimeSpan.FromMinutes(1), "the background programs to exit after kill");
        }
    }

    private static async Task WaitForAllGatewaysSyncedAsync(string siloUrl, string? ns, string stateFolder)
    {
        // The silo's admin token, from the state folder the block's silo uses, as stoker reads it.
        using var http = new HttpClient(new AdminTokenHandler(() => stateFolder)) { Timeout = TimeSpan.FromSeconds(10) };
        var path = ns is null ? "/apis/stoker.io/v1alpha1/gatewaysyncs" : $"/apis/stoker.io/v1alpha1/namespaces/{ns}/gatewaysyncs";
        await Eventually.Until(
            async () => JsonNode.Parse(await http.GetStringAsync(new Uri(siloUrl + path)))!["items"]!.AsArray()
                .Select(item => item!["status"]?["conditions"]?.AsArray().FirstOrDefault(c => (string?)c!["type"] == "AllGatewaysSynced")?["status"])
                .Select(s => (string?)s)
                .ToList(),
            statuses => statuses.Count > 0 && statuses.All(s => s == "True"),
            TimeSpan.FromMinutes(2),
            "every GatewaySync's AllGatewaysSynced condition to be True");
    }

    private static string? NamespaceOf(string command) => NamespaceOption().Match(command) is { Success: true } m ? m.Groups["ns"].Value : null;

    /// <summary>The folder <c>work=$(mktemp -d)</c> made: the only <c>tmp.*</c> folder in the test's TMPDIR.</summary>
    private static string WorkFolder(string temp) => Assert.Single(Directory.GetDirectories(temp, "tmp.*"));

    /// <summary>The logs the block writes (<c>&gt; "$work/x.log"</c>), for a failure message.</summary>
    private static string Logs(string temp)
    {
        var logs = Directory.GetDirectories(temp, "tmp.*").SelectMany(w => Directory.GetFiles(w, "*.log")).Order(StringComparer.Ordinal);
        return string.Join('\n', logs.Select(log => $"--- {Path.GetFileName(log)} (last 40 lines)\n{string.Join('\n', File.ReadLines(log).TakeLast(40))}"));
    }

    /// <summary>This process's environment without Stoker's settings, so that only the README's and the ports above count.</summary>
    private static Dictionary<string, string?> CleanEnvironment()
    {
        var agentSettings = AgentOptions.Settings.Select(s => s.Variable).ToHashSet(StringComparer.Ordinal);
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var key in Environment.GetEnvironmentVariables().Keys.Cast<string>())
        {
            if (agentSettings.Contains(key) || key.StartsWith("Stoker__", StringComparison.OrdinalIgnoreCase) || key.StartsWith("IGNITION_SIM_", StringComparison.Ordinal)
                || key.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || key is "DOTNET_URLS" or StokerCommandLine.ServerVariable or "STOKER_TOKEN")
            {
                environment[key] = null;
            }
        }

        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        environment["DOTNET_NOLOGO"] = "1";
        return environment;
    }

    private static int[] DistinctFreePorts(int count)
    {
        var ports = new HashSet<int>();
        while (ports.Count < count)
        {
            ports.Add(FreePort.Next());
        }

        return [.. ports];
    }

    private static string Text(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\s-n\s+(?<ns>[a-z0-9.-]+)", RegexOptions.CultureInvariant)]
    private static partial Regex NamespaceOption();

    [GeneratedRegex(@"--data\s+""\$work/(?<folder>[^""]+)""", RegexOptions.CultureInvariant)]
    private static partial Regex DataFolder();
}
