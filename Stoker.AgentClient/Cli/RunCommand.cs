using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stoker.AgentClient.Runtime;

namespace Stoker.AgentClient.Cli;

/// <summary>
/// <c>stoker-agent run</c>: the long-running agent beside one gateway. Settings come from the environment (the
/// original's variable names) and from <c>--kebab-case</c> options that override them, composed by
/// <see cref="StokerAgentExtensions.AddStokerAgent"/>. Invalid settings exit 2, each named on stderr.
/// </summary>
public static class RunCommand
{
    public const string Name = "run";

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Skip(1).Any(a => a is "-h" or "--help"))
        {
            stdout.WriteLine("usage: stoker-agent run [--option value]...   (each option is also read from its environment variable)");
            foreach (var (variable, meaning) in AgentOptions.Settings)
            {
                stdout.WriteLine($"  --{ToOption(variable),-34} {variable,-34} {meaning}");
            }

            return ExitCodes.Success;
        }

        var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
        var errors = new List<string>();
        for (var i = 1; i < args.Length; i++)
        {
            var known = AgentOptions.Settings.FirstOrDefault(s => "--" + ToOption(s.Variable) == args[i].Split('=')[0]);
            if (known.Variable is null)
            {
                errors.Add($"{args[i]}: unknown option (see stoker-agent run --help)");
            }
            else if (args[i].Contains('=', StringComparison.Ordinal))
            {
                overrides[known.Variable] = args[i][(args[i].IndexOf('=', StringComparison.Ordinal) + 1)..];
            }
            else if (i + 1 < args.Length)
            {
                overrides[known.Variable] = args[++i];
            }
            else
            {
                errors.Add($"{args[i]}: a value is required");
            }
        }

        using var app = Build(overrides);
        AgentOptions? options = null;
        try
        {
            // The same validation the host runs at start (ValidateOnStart), done first so that the command-line
            // problems above and the settings' problems are reported together, before anything starts.
            options = app.Services.GetRequiredService<AgentOptions>();
        }
        catch (OptionsValidationException e)
        {
            errors.AddRange(e.Failures);
        }

        if (errors.Count > 0 || options is null)
        {
            foreach (var error in errors)
            {
                stderr.WriteLine("stoker-agent run: " + error);
            }

            return ExitCodes.InvalidInput;
        }

        try
        {
            await app.RunAsync();
        }
        catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException or System.Net.Sockets.SocketException)
        {
            stderr.WriteLine($"stoker-agent run: HEALTH_PORT (--health-port) {options.HealthPort} or METRICS_PORT (--metrics-port) {options.MetricsPort}: cannot listen: {e.Message}");
            return ExitCodes.SyncFailed;
        }
        catch (OperationCanceledException)
        {
            // SIGTERM before the control plane was ever reached: nothing was in flight.
        }

        return ExitCodes.Success;
    }

    /// <summary>
    /// The agent's host: <see cref="StokerAgentExtensions.AddStokerAgent"/> with its settings read from the environment
    /// and <paramref name="overrides"/> (command-line values, by variable name) over it. Nothing else configures it: a
    /// settings file in the working directory must not change what the documented variables say.
    /// </summary>
    public static WebApplication Build(IReadOnlyDictionary<string, string> overrides)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddEnvironmentVariables();

        // Configuration keys ignore case and environment variables do not: the documented names are read exactly as
        // spelled (an unset one hides a differently-cased variable), then the command line goes over them.
        builder.Configuration.AddInMemoryCollection(AgentOptions.Settings.Select(s => KeyValuePair.Create(s.Variable, Environment.GetEnvironmentVariable(s.Variable))));
        builder.Configuration.AddInMemoryCollection(overrides.Select(o => KeyValuePair.Create(o.Key, (string?)o.Value)));
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.Logging.AddFilter("Orleans", LogLevel.Warning).AddFilter("Microsoft", LogLevel.Warning).AddFilter("Polly", LogLevel.Warning);
        builder.Services.AddStokerAgent();
        var app = builder.Build();
        app.MapStokerAgentEndpoints();
        return app;
    }

    private static string ToOption(string variable) => AgentOptions.ToOption(variable);
}
