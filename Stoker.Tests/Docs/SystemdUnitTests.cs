using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Stoker.AgentClient.Cli;
using Stoker.AgentClient.Ignition;
using Stoker.AgentClient.Runtime;
using Stoker.Demo.Processes;
using Stoker.Tests.AgentCli;
using Stoker.Tests.Demo;
using Stoker.Tests.Ignition;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Docs;

/// <summary>
/// deploy/systemd/stoker-agent.service and its example environment file, held to the agent they run: every variable is
/// a setting the agent reads, the values pass the agent's own option parsing, and ExecStart is the published agent's
/// <c>run</c> command, the same one the agent image runs.
/// </summary>
public sealed partial class SystemdUnitTests : IDisposable
{
    private static readonly string UnitPath = Checkout.Combine("deploy", "systemd", "stoker-agent.service");
    private static readonly string ExampleEnvironmentPath = Checkout.Combine("deploy", "systemd", "stoker-agent.env");

    /// <summary>Directives this unit may use; a misspelt one is caught even where systemd-analyze is missing.</summary>
    private static readonly Dictionary<string, string[]> KnownDirectives = new(StringComparer.Ordinal)
    {
        ["Unit"] = ["Description", "Documentation", "After", "Before", "Wants", "Requires", "BindsTo", "PartOf"],
        ["Service"] =
        [
            "Type", "User", "Group", "StateDirectory", "WorkingDirectory", "Environment", "EnvironmentFile", "ExecStart", "ExecStartPre",
            "TimeoutStopSec", "KillSignal", "Restart", "RestartSec", "RestartPreventExitStatus", "NoNewPrivileges", "PrivateTmp",
            "ProtectSystem", "ReadWritePaths",
        ],
        ["Install"] = ["WantedBy"],
    };

    private readonly IReadOnlyList<(string Section, string Key, string Value)> _unit = SystemdFiles.ReadUnit(UnitPath);
    private readonly TempDirectory _temp = new("systemd-unit");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Unit_ReadsTheExampleEnvironmentFileBesideIt()
    {
        var environmentFile = Single("Service", "EnvironmentFile").TrimStart('-');

        Assert.StartsWith("/etc/stoker/", environmentFile, StringComparison.Ordinal);
        Assert.Equal(Path.GetFileName(ExampleEnvironmentPath), Path.GetFileName(environmentFile));
        Assert.True(File.Exists(ExampleEnvironmentPath));
    }

    [Fact]
    public void EveryVariable_IsASettingTheAgentReads()
    {
        var (set, suggested) = SystemdFiles.ReadEnvironmentFile(ExampleEnvironmentPath);
        var known = AgentOptions.Settings.Select(s => s.Variable).ToHashSet(StringComparer.Ordinal);

        var names = UnitEnvironment().Concat(set).Concat(suggested).Select(p => p.Key).ToList();

        var unknown = names.Where(n => !known.Contains(n)).ToList();

        Assert.Contains("CR_NAME", names);
        Assert.Empty(unknown);
    }

    [Fact]
    public void Settings_AsTheServiceGetsThem_PassTheAgentsOwnParsing()
    {
        var (set, _) = SystemdFiles.ReadEnvironmentFile(ExampleEnvironmentPath);

        // systemd applies Environment= first; the EnvironmentFile's values override it.
        var binding = Bind([.. UnitEnvironment(), .. set]);

        Assert.Empty(binding.Errors);
        Assert.Empty(binding.NotRead);
        Assert.Equal("/var/lib/stoker-agent", binding.Options.RepoPath);
        Assert.Equal(Single("Service", "StateDirectory"), Path.GetFileName(binding.Options.RepoPath));
    }

    [Fact]
    public void OptionalSettings_ShownInTheExample_AlsoPassTheAgentsParsing()
    {
        var (set, suggested) = SystemdFiles.ReadEnvironmentFile(ExampleEnvironmentPath);

        var binding = Bind([.. UnitEnvironment(), .. set, .. suggested]);

        Assert.NotEmpty(suggested);
        Assert.Empty(binding.Errors);
        Assert.Empty(binding.NotRead);
    }

    [Fact]
    public void Binding_CatchesAMisspeltNameAndAnInvalidValue()
    {
        var (set, _) = SystemdFiles.ReadEnvironmentFile(ExampleEnvironmentPath);

        var misspelt = Bind([.. set, KeyValuePair.Create("GATEWAY_PROT", "8088")]);
        var invalid = Bind([.. set, KeyValuePair.Create("GATEWAY_TLS", "flase")]);

        Assert.Equal(["GATEWAY_PROT"], misspelt.NotRead);
        Assert.Contains("GATEWAY_TLS: \"flase\": must be true or false", invalid.Errors);
    }

    [Fact]
    public void ExecStart_IsThePublishedAgentsRunCommand_AsTheAgentImageRunsIt()
    {
        var exec = SystemdFiles.Words(Single("Service", "ExecStart"));

        Assert.Equal(3, exec.Count);
        Assert.True(Path.IsPathRooted(exec[0]), $"ExecStart's program must be an absolute path: {exec[0]}");
        Assert.Equal("dotnet", Path.GetFileName(exec[0]));
        Assert.Equal(typeof(AgentOptions).Assembly.GetName().Name + ".dll", Path.GetFileName(exec[1]));
        Assert.Equal(RunCommand.Name, exec[2]);

        // The folder is deploy/publish.sh's output for the agent: <out>/agent, built from Stoker.AgentClient.
        Assert.Equal("agent", Path.GetFileName(Path.GetDirectoryName(exec[1])));
        var publishProject = File.ReadAllText(Checkout.Combine("deploy", "publish.proj"));
        Assert.Matches(@"<App Include=""agent"" Project=""[^""]*/Stoker\.AgentClient/Stoker\.AgentClient\.csproj"" />", publishProject);

        // The image runs the same program and command, from /app.
        var dockerfile = File.ReadAllText(Checkout.Combine("deploy", "agent.Dockerfile"));
        var image = JsonArray(DockerInstruction().Match(dockerfile).Groups["entrypoint"].Value)
            .Concat(JsonArray(DockerCmd().Match(dockerfile).Groups["cmd"].Value)).ToList();
        Assert.Equal(exec.Select(Path.GetFileName), image.Select(Path.GetFileName));
    }

    [Fact]
    public async Task ExecStart_RunsTheBuiltAgent()
    {
        var exec = SystemdFiles.Words(Single("Service", "ExecStart"));
        // The agent's build output stands in for /opt/stoker/agent (the same files deploy/publish.sh copies there).
        var dll = Path.Join(Path.GetDirectoryName(AgentProcess.AgentDll), Path.GetFileName(exec[1]));
        var host = File.Exists(exec[0]) ? exec[0] : "dotnet";

        var result = await Command.RunAsync(host, [dll, .. exec.Skip(2), "--help"], TimeSpan.FromMinutes(1), _temp.Path);

        Assert.True(result.Succeeded, $"exit {result.ExitCode}: {result.Output}");
        Assert.Contains("usage: stoker-agent run", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void TimeoutStopSec_LeavesTheShutdownTimeoutToFinish()
    {
        var (set, _) = SystemdFiles.ReadEnvironmentFile(ExampleEnvironmentPath);
        var options = Bind([.. UnitEnvironment(), .. set]).Options;

        var stop = int.Parse(Single("Service", "TimeoutStopSec").TrimEnd('s'), CultureInfo.InvariantCulture);

        Assert.True(stop > options.ShutdownTimeout.TotalSeconds + 5, $"TimeoutStopSec={stop} leaves too little after SHUTDOWN_TIMEOUT={options.ShutdownTimeout.TotalSeconds}");
        Assert.Equal(ExitCodes.InvalidInput.ToString(CultureInfo.InvariantCulture), Single("Service", "RestartPreventExitStatus"));
    }

    [Fact]
    public async Task Unit_UsesOnlyKnownDirectives_AndSystemdAcceptsIt()
    {
        var unknown = _unit.Where(d => !KnownDirectives.TryGetValue(d.Section, out var keys) || !keys.Contains(d.Key)).Select(d => $"[{d.Section}] {d.Key}");
        Assert.Empty(unknown);

        // Where systemd is installed, its own parser has the last word (it reports problems on stderr, exit 0).
        if (File.Exists("/usr/bin/systemd-analyze"))
        {
            var copy = _temp.Combine(Path.GetFileName(UnitPath));
            File.Copy(UnitPath, copy);
            var result = await Command.RunAsync("/usr/bin/systemd-analyze", ["verify", copy], TimeSpan.FromMinutes(1), _temp.Path);
            Assert.True(result.Succeeded && result.Output.Length == 0, $"systemd-analyze verify: exit {result.ExitCode}: {result.Output}");
        }
    }

    private string Single(string section, string key)
    {
        var values = _unit.Where(d => d.Section == section && d.Key == key).Select(d => d.Value).ToList();
        return values.Count == 1 ? values[0] : throw new Xunit.Sdk.XunitException($"[{section}] {key}: {values.Count} values in {UnitPath}");
    }

    private IEnumerable<KeyValuePair<string, string>> UnitEnvironment() =>
        _unit.Where(d => d.Section == "Service" && d.Key == "Environment").SelectMany(d => SystemdFiles.EnvironmentAssignments(d.Value));

    /// <summary>
    /// Reads the assignments through the agent's real option parsing (<see cref="AgentOptions.Parse"/>, which reads the
    /// Ignition client's settings too), recording which names they asked for. Files the settings
    /// name are replaced by stand-ins in a temp folder, as they exist only on the gateway's host.
    /// </summary>
    private Binding Bind(IEnumerable<KeyValuePair<string, string>> assignments)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in assignments)
        {
            values[key] = value;
        }

        foreach (var key in values.Keys.Where(k => k.EndsWith("_FILE", StringComparison.Ordinal)).ToList())
        {
            var standIn = _temp.Combine(key.ToLowerInvariant());
            if (key is IgnitionClientOptions.CaFileVariable or "SILO_CA_FILE")
            {
                using var certificates = TestCertificates.Create();
                certificates.WritePem(certificates.Authority, standIn);
            }
            else
            {
                File.WriteAllText(standIn, "stoker-agent:stand-in-secret\n");
            }

            values[key] = standIn;
        }

        var read = new HashSet<string>(StringComparer.Ordinal);
        string? Variable(string name)
        {
            read.Add(name);
            return values.GetValueOrDefault(name);
        }

        var options = AgentOptions.Parse(Variable, out var errors);
        return new Binding(options, [.. errors], [.. values.Keys.Where(k => !read.Contains(k)).Order(StringComparer.Ordinal)]);
    }

    private static List<string> JsonArray(string json) => JsonSerializer.Deserialize<List<string>>(json) ?? [];

    [GeneratedRegex(@"^ENTRYPOINT\s+(?<entrypoint>\[.*\])\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex DockerInstruction();

    [GeneratedRegex(@"^CMD\s+(?<cmd>\[.*\])\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex DockerCmd();

    private sealed record Binding(AgentOptions Options, List<string> Errors, List<string> NotRead);
}
