using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Stoker.AgentClient.Runtime;

/// <summary>
/// Refuses a <c>HEALTH_PORT</c> or <c>METRICS_PORT</c> nothing can listen on, before the host starts. The Orleans
/// client's start retries until the control plane answers and the host starts its services together: a port Kestrel
/// cannot bind would otherwise leave the agent waiting with no probes. Kept apart from <see cref="AgentOptionsValidator"/>
/// because it touches the machine; it runs only when the settings are otherwise valid.
/// </summary>
public sealed class AgentPortsValidator : IValidateOptions<AgentOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.SettingErrors.Count > 0 || new AgentOptionsValidator().Validate(name, options).Failed)
        {
            return ValidateOptionsResult.Skip;
        }

        var failures = new List<string>();
        foreach (var (variable, port) in new[] { ("HEALTH_PORT", options.HealthPort), ("METRICS_PORT", options.MetricsPort) })
        {
            if (port != 0 && Unusable(port) is { } problem)
            {
                failures.Add($"{AgentOptions.Named(variable)}: {port}: cannot listen on this port: {problem}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string? Unusable(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Any, port);
            listener.Start();
            listener.Stop();
            return null;
        }
        catch (SocketException e)
        {
            return e.Message;
        }
    }
}
