using Stoker.Demo.Plan;

namespace Stoker.Demo.Processes;

/// <summary>
/// Runs the plan's programs on this machine: the .NET ones from the published folders (the output the container
/// images carry), the git server from demo/. Each logs to <c>&lt;work&gt;/logs/&lt;service&gt;.log</c>.
/// </summary>
public sealed class NativeLauncher(DemoOptions options)
{
    public string LogsDirectory { get; } = Path.Join(options.WorkDirectory, "logs");

    public string LogPath(string service) => Path.Join(LogsDirectory, service + ".log");

    public ChildProcess Start(ServiceSpec service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var (program, prefix) = Command(service.Program);
        return ChildProcess.Start(service.Name, program, [.. prefix, .. service.Args], service.Environment, LogPath(service.Name), options.WorkDirectory);
    }

    /// <summary>The program and leading arguments that run <paramref name="name"/> here.</summary>
    public (string Program, IReadOnlyList<string> Prefix) Command(string name) => name switch
    {
        DemoNames.SiloProgram => ("dotnet", [Path.Join(options.PublishDirectory, "silo", "stoker-silo.dll")]),
        DemoNames.AgentProgram => ("dotnet", [Path.Join(options.PublishDirectory, "agent", "stoker-agent.dll")]),
        DemoNames.SimulatorProgram => ("dotnet", [Path.Join(options.PublishDirectory, "simulator", "ignition-simulator.dll")]),
        DemoNames.CliProgram => ("dotnet", [Path.Join(options.PublishDirectory, "cli", "stoker.dll")]),
        DemoNames.GitServerProgram => ("bash", [Path.Join(options.RepositoryRoot, "demo", "git-server.sh")]),
        _ => throw new ArgumentException($"no native command for program \"{name}\"", nameof(name)),
    };

    /// <summary>How a person runs <paramref name="name"/> with <paramref name="args"/> from the checkout, for the closing notes.</summary>
    public string Display(string name, params string[] args)
    {
        var (program, prefix) = Command(name);
        var parts = prefix.Select(p => Path.GetRelativePath(options.RepositoryRoot, p)).Prepend(program).Concat(args);
        return string.Join(' ', parts.Select(p => p.Contains(' ', StringComparison.Ordinal) ? $"'{p}'" : p));
    }
}
