using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Stoker.IgnitionSimulator;

/// <summary>How to start a simulated gateway; see <c>docs/ignition-simulator.md</c>.</summary>
public sealed class IgnitionSimulatorOptions
{
    /// <summary>The API token requests must carry in <c>X-Ignition-API-Token</c>, in Ignition's <c>name:secret</c> form.</summary>
    public required string ApiToken { get; init; }

    /// <summary>The gateway's data directory; projects are the folders under <c>{DataDir}/projects</c>.</summary>
    public string? DataDir { get; init; }

    /// <summary>Serve HTTPS with this certificate (it must carry its private key) instead of HTTP.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>Addresses to listen on (<c>http://127.0.0.1:8088</c>, port 0 for any free port). Empty: one free loopback port.</summary>
    public IReadOnlyList<Uri> Urls { get; init; } = [];

    /// <summary>Answer 503 for this long after start, like a gateway that is still starting; <see cref="Timeout.InfiniteTimeSpan"/> until told.</summary>
    public TimeSpan? StartingFor { get; init; }

    public bool ListProjects { get; init; }

    public string GatewayName { get; init; } = "Ignition-simulator";

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Log requests and warnings to the console (the stand-alone process does; in-process hosts stay quiet).</summary>
    public bool ConsoleLogging { get; init; }

    /// <summary>Stop on SIGTERM/SIGINT. Only the stand-alone process wants this; a test host must keep its own signals.</summary>
    public bool HandleShutdownSignals { get; init; }

    /// <summary>Every problem with these options, each naming the option, the value and the rule.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!IsIgnitionToken(ApiToken))
        {
            errors.Add($"--api-token: \"{Redact(ApiToken)}\": must be an Ignition API key in the form name:secret (both parts non-empty, no whitespace)");
        }

        if (DataDir is not null && !Directory.Exists(DataDir))
        {
            errors.Add($"--data-dir: \"{DataDir}\": directory does not exist");
        }

        if (ListProjects && DataDir is null)
        {
            errors.Add("--list-projects: needs --data-dir to list projects from");
        }

        foreach (var url in Urls)
        {
            if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                errors.Add($"--urls: \"{url}\": must be an absolute http:// or https:// address");
            }
            else if (!IPAddress.TryParse(url.Host.Trim('[', ']'), out _) && url.Host != "localhost")
            {
                errors.Add($"--urls: \"{url}\": the host must be an IP address (127.0.0.1, 0.0.0.0, [::1]) or localhost");
            }
            else if (url.Host == "localhost" && url.Port == 0)
            {
                errors.Add($"--urls: \"{url}\": port 0 (any free port) needs an IP address, e.g. 127.0.0.1");
            }
            else if (url.Scheme == Uri.UriSchemeHttps && Certificate is null)
            {
                errors.Add($"--urls: \"{url}\": https needs a TLS certificate");
            }
            else if (url.Scheme == Uri.UriSchemeHttp && Certificate is not null)
            {
                errors.Add($"--urls: \"{url}\": a TLS certificate was given, so the address must be https://");
            }
        }

        if (Certificate is { HasPrivateKey: false })
        {
            errors.Add($"--tls-cert: \"{Certificate.Subject}\": has no private key");
        }

        if (StartingFor is { } startingFor && startingFor != Timeout.InfiniteTimeSpan && startingFor <= TimeSpan.Zero)
        {
            errors.Add($"--starting-for: {startingFor}: must be positive");
        }

        if (string.IsNullOrWhiteSpace(GatewayName))
        {
            errors.Add("--gateway-name: must not be empty");
        }

        return errors;
    }

    internal static bool IsIgnitionToken(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Any(char.IsWhiteSpace))
        {
            return false;
        }

        var colon = token.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && colon < token.Length - 1;
    }

    /// <summary>Shows the key's name only: the secret never reaches a message or log.</summary>
    internal static string Redact(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return "";
        }

        var colon = token.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 ? $"{token[..colon]}:<redacted>" : "<redacted>";
    }
}
