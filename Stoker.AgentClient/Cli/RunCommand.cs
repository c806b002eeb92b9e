using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Prometheus;
using Stoker.AgentClient.Ignition;
using Stoker.AgentClient.Runtime;

namespace Stoker.AgentClient.Cli;

/// <summary>
/// <c>stoker-agent run</c>: the long-running agent beside one gateway. Settings come from the environment (the
/// original's variable names) and from <c>--kebab-case</c> options that override them. Invalid settings exit 2,
/// each named on stderr.
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

        string? Variable(string name) => overrides.TryGetValue(name, out var value) ? value : Environment.GetEnvironmentVariable(name);
        var options = AgentOptions.Parse(Variable, out var optionErrors);
        errors.AddRange(optionErrors);
        IgnitionClientOptions? ignitionOptions = null;
        try
        {
            ignitionOptions = IgnitionClientOptions.FromEnvironment(Variable);
        }
        catch (IgnitionOptionsException e)
        {
            errors.AddRange(e.Errors);
        }

        if (errors.Count == 0)
        {
            // The Orleans client's start retries until the control plane answers, and the host starts its services
            // together: a health port Kestrel cannot bind would leave the agent waiting with no probes. Fail first.
            errors.AddRange(UnusablePorts(options));
        }

        if (errors.Count > 0)
        {
            foreach (var error in errors)
            {
                stderr.WriteLine("stoker-agent run: " + error);
            }

            return ExitCodes.InvalidInput;
        }

        using var app = Build(options, ignitionOptions!);
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

    public static WebApplication Build(AgentOptions options, IgnitionClientOptions ignitionOptions)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.Logging.AddFilter("Orleans", LogLevel.Warning).AddFilter("Microsoft", LogLevel.Warning).AddFilter("Polly", LogLevel.Warning);
        builder.Services.Configure<HostOptions>(o =>
        {
            o.ShutdownTimeout = options.ShutdownTimeout;

            // The health server must answer while the Orleans client is still trying to reach the control plane
            // (its start retries until then); started one after another, the web server would start last.
            o.ServicesStartConcurrently = true;
        });
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Any, options.HealthPort);
            if (options.MetricsPort != options.HealthPort)
            {
                k.Listen(IPAddress.Any, options.MetricsPort);
            }
        });

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<AgentHealth>();
        builder.Services.AddSingleton<AgentMetrics>();
        builder.Services.AddSingleton(sp => IgnitionClient.Create(ignitionOptions, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddSingleton<SyncRunner>();
        builder.Services.AddHostedService<AgentWorker>();
        builder.UseOrleansClient(client =>
        {
            client.UseStaticClustering(options.SiloEndpoints.ToArray());
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = options.ClusterId;
                o.ServiceId = options.ServiceId;
            });
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(10));
            client.UseConnectionRetryFilter(RetryConnectionAsync);
        });

        var app = builder.Build();
        var health = app.Services.GetRequiredService<AgentHealth>();
        var metrics = app.Services.GetRequiredService<AgentMetrics>();
        app.Map("/healthz", () => Results.Text("ok"));
        app.Map("/readyz", () => health.Stopping ? Results.Text("shutting down", statusCode: 503)
            : health.Started ? Results.Text("ok") : Results.Text("not ready", statusCode: 503));
        app.Map("/startupz", () => health.Started ? Results.Text("ok") : Results.Text("starting", statusCode: 503));
        app.Map("/metrics", async (HttpContext context) =>
        {
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await metrics.Registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
        });
        return app;
    }

    private static IEnumerable<string> UnusablePorts(AgentOptions options)
    {
        foreach (var (variable, port) in new[] { ("HEALTH_PORT", options.HealthPort), ("METRICS_PORT", options.MetricsPort) })
        {
            if (port == 0)
            {
                continue;
            }

            string? problem = null;
            try
            {
                using var listener = new System.Net.Sockets.TcpListener(IPAddress.Any, port);
                listener.Start();
                listener.Stop();
            }
            catch (System.Net.Sockets.SocketException e)
            {
                problem = e.Message;
            }

            if (problem is not null)
            {
                yield return $"{variable} (--{ToOption(variable)}): {port}: cannot listen on this port: {problem}";
            }
        }
    }

    private static int _connectAttempts;

    /// <summary>The control plane may start after the agent: keep trying, backing off to 30 s, saying why each time.</summary>
    private static async Task<bool> RetryConnectionAsync(Exception exception, CancellationToken cancellationToken)
    {
        var attempt = Interlocked.Increment(ref _connectAttempts);
        var delay = TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, Math.Min(attempt, 5))));
        await Console.Error.WriteLineAsync($"stoker-agent: cannot reach the control plane yet (attempt {attempt}: {exception.GetType().Name}: {exception.Message}); retrying in {delay.TotalSeconds:0} s");
        try
        {
            await Task.Delay(delay, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static string ToOption(string variable) => variable.ToLowerInvariant().Replace('_', '-');
}
