using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Stoker.AgentClient.Ignition;
using Stoker.Grains.Interfaces.Security;

namespace Stoker.AgentClient.Runtime;

/// <summary>
/// Binds <see cref="AgentOptions"/> from configuration keyed by the documented variable names (<c>CR_NAME</c>,
/// <c>SYNC_PERIOD</c>, …; docs/standalone-agent.md): the environment, with <c>--kebab-case</c> command-line values
/// layered over it by <c>stoker-agent run</c>. The generic binder is not used because a value it cannot convert
/// throws instead of naming the setting, and the names are not a configuration section.
/// </summary>
public sealed class AgentOptionsSetup(IConfiguration configuration) : IConfigureOptions<AgentOptions>
{
    public void Configure(AgentOptions options) => Bind(options, name => configuration[name]);

    /// <summary>Reads every setting through <paramref name="variable"/>; texts that do not convert go to <see cref="AgentOptions.SettingErrors"/>.</summary>
    public static void Bind(AgentOptions options, Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(variable);
        var problems = new List<string>();
        string? Get(string name) => variable(name) is { } v && v.Trim().Length > 0 ? v.Trim() : null;
        int Int(string name, int fallback, int min, int max)
        {
            var text = Get(name);
            if (text is null)
            {
                return fallback;
            }

            if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            {
                problems.Add($"{AgentOptions.Named(name)}: \"{text}\": must be an integer between {min} and {max}");
                return fallback;
            }

            return value;
        }

        TimeSpan Seconds(string name, TimeSpan fallback) => Get(name) is null ? fallback : TimeSpan.FromSeconds(Int(name, (int)fallback.TotalSeconds, 1, 3600));

        // The defaults are the property initializers of AgentOptions, defined once there.
        var defaults = new AgentOptions();
        var podName = Get("POD_NAME") ?? Environment.MachineName;
        var podNamespace = Get("POD_NAMESPACE") ?? Get("CR_NAMESPACE") ?? "";
        options.PodName = podName;
        options.PodNamespace = podNamespace;
        options.CrName = Get("CR_NAME") ?? "";
        options.CrNamespace = Get("CR_NAMESPACE") ?? podNamespace;
        options.GatewayName = Get("GATEWAY_NAME") ?? podName;
        options.Profile = Get("PROFILE");
        options.SiloEndpoints = SiloEndpoints(Get("SILO_ENDPOINTS"), problems);
        SiloTls(options, variable, Get, problems);
        options.Labels = Labels(Get("POD_LABELS"), problems);
        options.RepoPath = Get("REPO_PATH") ?? defaults.RepoPath;
        options.DataPath = Get("DATA_PATH") ?? defaults.DataPath;
        options.SyncPeriodSeconds = Int("SYNC_PERIOD", defaults.SyncPeriodSeconds, 1, 86_400);
        options.ClusterId = Get("ORLEANS_CLUSTER_ID") ?? defaults.ClusterId;
        options.ServiceId = Get("ORLEANS_SERVICE_ID") ?? defaults.ServiceId;
        options.HealthPort = Int("HEALTH_PORT", defaults.HealthPort, 0, 65535);
        options.MetricsPort = Int("METRICS_PORT", defaults.MetricsPort, 0, 65535);
        options.HeartbeatInterval = Seconds("HEARTBEAT_INTERVAL", defaults.HeartbeatInterval);
        options.ShutdownTimeout = Seconds("SHUTDOWN_TIMEOUT", defaults.ShutdownTimeout);
        options.PostCommissionInterval = Seconds("POST_COMMISSION_INTERVAL", defaults.PostCommissionInterval);
        options.VerifyInterval = TimeSpan.FromSeconds(Int("VERIFY_INTERVAL", (int)defaults.VerifyInterval.TotalSeconds, 0, 86_400));
        options.GitTokenFile = Get("GIT_TOKEN_FILE");
        options.AgentTokenFile = Get("AGENT_TOKEN_FILE");
        try
        {
            options.Ignition = IgnitionClientOptions.FromEnvironment(variable);
        }
        catch (IgnitionOptionsException e)
        {
            problems.AddRange(e.Errors);
        }

        options.SettingErrors = problems;
    }

    /// <summary>The silo's CA, read now so a missing or malformed one stops the start with the variable named.</summary>
    private static void SiloTls(AgentOptions options, Func<string, string?> variable, Func<string, string?> get, List<string> problems)
    {
        options.SiloCaFile = get("SILO_CA_FILE");
        options.SiloCa = variable("SILO_CA") is { } pem && pem.Trim().Length > 0 ? pem : null;
        options.SiloTlsServerName = get("SILO_TLS_SERVER_NAME") ?? SiloCertificateTrust.DefaultServerName;
        switch (get("SILO_ALLOW_INSECURE"))
        {
            case null:
                break;
            case var text when bool.TryParse(text, out var insecure):
                options.SiloAllowInsecure = insecure;
                break;
            case var text:
                problems.Add($"{AgentOptions.Named("SILO_ALLOW_INSECURE")}: \"{text}\": must be true or false");
                break;
        }

        try
        {
            if (options.SiloCaFile is { } file && options.SiloCa is not null)
            {
                problems.Add($"{AgentOptions.Named("SILO_CA_FILE")}: \"{file}\": give either SILO_CA_FILE or SILO_CA, not both");
            }
            else if (options.SiloCaFile is { } path)
            {
                options.SiloCaCertificates = Path.IsPathFullyQualified(path)
                    ? SiloCertificateTrust.ReadPemFile(path, AgentOptions.Named("SILO_CA_FILE"))
                    : throw new FormatException($"{AgentOptions.Named("SILO_CA_FILE")}: \"{path}\": must be an absolute path");
            }
            else if (options.SiloCa is { } text)
            {
                options.SiloCaCertificates = SiloCertificateTrust.ParsePem(text, "SILO_CA (--silo-ca)");
            }
        }
        catch (FormatException e)
        {
            problems.Add(e.Message);
        }
    }

    private static List<IPEndPoint> SiloEndpoints(string? text, List<string> problems)
    {
        var endpoints = new List<IPEndPoint>();
        var before = problems.Count;
        foreach (var item in (text ?? "127.0.0.1:30000").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (IPEndPoint.TryParse(item, out var endpoint) && endpoint.Port > 0)
            {
                endpoints.Add(endpoint);
            }
            else if (item.Split(':') is [var host, var port] && host.Length > 0 && int.TryParse(port, CultureInfo.InvariantCulture, out var p) && p is > 0 and <= 65535)
            {
                // A name (a Kubernetes Service) is resolved once: a Service's cluster IP outlives the silo pods behind it.
                if (Resolve(host) is { } address)
                {
                    endpoints.Add(new IPEndPoint(address, p));
                }
                else
                {
                    problems.Add($"SILO_ENDPOINTS (--silo-endpoints): \"{item}\": the host name \"{host}\" does not resolve to an address");
                }
            }
            else
            {
                problems.Add($"SILO_ENDPOINTS (--silo-endpoints): \"{item}\": must be host:port (comma-separated for several silos)");
            }
        }

        if (endpoints.Count == 0 && problems.Count == before)
        {
            problems.Add($"SILO_ENDPOINTS (--silo-endpoints): \"{text}\": names no endpoint; give host:port (comma-separated for several silos)");
        }

        return endpoints;
    }

    private static Dictionary<string, string> Labels(string? text, List<string> problems)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (pair.Split('=', 2) is [var key, var value] && key.Length > 0)
            {
                labels[key] = value;
            }
            else
            {
                problems.Add($"POD_LABELS (--pod-labels): \"{pair}\": must be key=value (comma-separated)");
            }
        }

        return labels;
    }

    private static IPAddress? Resolve(string host)
    {
        try
        {
            var addresses = Dns.GetHostAddresses(host);
            return addresses.FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork) ?? addresses.FirstOrDefault();
        }
        catch (System.Net.Sockets.SocketException)
        {
            return null;
        }
    }
}
