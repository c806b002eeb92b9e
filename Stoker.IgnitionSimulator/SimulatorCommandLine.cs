using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Stoker.IgnitionSimulator;

/// <summary>
/// <c>ignition-simulator [options]</c>: every option can also come from an <c>IGNITION_SIM_*</c> environment variable;
/// the command line wins. Invalid options stop the process at start (exit 2) with a message naming the option.
/// </summary>
public static class SimulatorCommandLine
{
    public const int InvalidOptions = 2;
    public const int StartFailed = 1;

    private static readonly Option<string?> UrlsOption = new("--urls")
    {
        Description = "Addresses to listen on, separated by ';' (port 0 = any free port). Env IGNITION_SIM_URLS. Default http://127.0.0.1:8088.",
    };

    private static readonly Option<string?> ApiTokenOption = new("--api-token")
    {
        Description = "The API key requests must send in X-Ignition-API-Token, as name:secret. Env IGNITION_SIM_API_TOKEN.",
    };

    private static readonly Option<string?> ApiTokenFileOption = new("--api-token-file")
    {
        Description = "Read the API key from this file (trimmed) instead. Env IGNITION_SIM_API_TOKEN_FILE.",
    };

    private static readonly Option<string?> DataDirOption = new("--data-dir")
    {
        Description = "The gateway data directory; projects are its projects/* folders. Env IGNITION_SIM_DATA_DIR.",
    };

    private static readonly Option<bool> ListProjectsOption = new("--list-projects")
    {
        Description = "Also list the data directory's projects in gateway-info and scan answers. Env IGNITION_SIM_LIST_PROJECTS.",
    };

    private static readonly Option<string?> TlsCertOption = new("--tls-cert")
    {
        Description = "PEM certificate to serve HTTPS with (needs --tls-key). Env IGNITION_SIM_TLS_CERT.",
    };

    private static readonly Option<string?> TlsKeyOption = new("--tls-key")
    {
        Description = "PEM private key of --tls-cert. Env IGNITION_SIM_TLS_KEY.",
    };

    private static readonly Option<string?> StartingForOption = new("--starting-for")
    {
        Description = "Answer 503 like a starting gateway for this long (500ms, 10s, 2m) or 'forever' (until /_sim/control says otherwise). Env IGNITION_SIM_STARTING_FOR.",
    };

    private static readonly Option<string?> GatewayNameOption = new("--gateway-name")
    {
        Description = "The gateway's name in gateway-info and gwinfo. Env IGNITION_SIM_GATEWAY_NAME. Default Ignition-simulator.",
    };

    /// <summary>Parses the options, runs the simulator until SIGTERM/Ctrl+C, and returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var root = new RootCommand("A simulated Ignition 8.3 gateway for tests and demos (see docs/ignition-simulator.md).")
        {
            UrlsOption, ApiTokenOption, ApiTokenFileOption, DataDirOption, ListProjectsOption, TlsCertOption, TlsKeyOption,
            StartingForOption, GatewayNameOption,
        };
        var parsed = root.Parse(args);
        if (args.Any(a => a is "-h" or "--help" or "-?"))
        {
            return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
        }

        if (parsed.Errors.Count > 0)
        {
            return Invalid(stderr, parsed.Errors.Select(e => e.Message));
        }

        var (options, errors) = Build(parsed, environment);
        if (options is not null)
        {
            errors.AddRange(options.Validate());
        }

        if (errors.Count > 0)
        {
            return Invalid(stderr, errors);
        }

        GatewaySimulator simulator;
        try
        {
            simulator = await GatewaySimulator.StartAsync(options!);
        }
        catch (IOException e)
        {
            await stderr.WriteLineAsync($"error: --urls: cannot listen: {e.Message}");
            return StartFailed;
        }

        await using (simulator)
        {
            foreach (var url in simulator.Urls)
            {
                // Callers that asked for port 0 read the bound address from this line.
                await stdout.WriteLineAsync($"ignition-simulator listening on {url}");
            }

            await stdout.FlushAsync();
            await simulator.WaitForShutdownAsync();
        }

        return 0;
    }

    private static (IgnitionSimulatorOptions? Options, List<string> Errors) Build(ParseResult parsed, Func<string, string?> environment)
    {
        var errors = new List<string>();
        string? Value(Option<string?> option, string variable) => parsed.GetValue(option) ?? NonEmpty(environment(variable));

        var token = Value(ApiTokenOption, "IGNITION_SIM_API_TOKEN");
        var tokenFile = Value(ApiTokenFileOption, "IGNITION_SIM_API_TOKEN_FILE");
        if (token is not null && tokenFile is not null)
        {
            errors.Add("--api-token, --api-token-file: give one of them, not both");
        }
        else if (tokenFile is not null)
        {
            token = ReadToken(tokenFile, errors);
        }
        else if (token is null)
        {
            errors.Add("--api-token (IGNITION_SIM_API_TOKEN) or --api-token-file (IGNITION_SIM_API_TOKEN_FILE): required: the API key clients must send, as name:secret");
        }

        var urls = new List<Uri>();
        foreach (var text in (Value(UrlsOption, "IGNITION_SIM_URLS") ?? "http://127.0.0.1:8088").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Uri.TryCreate(text, UriKind.Absolute, out var url))
            {
                urls.Add(url);
            }
            else
            {
                errors.Add($"--urls: \"{text}\": not an absolute address such as http://127.0.0.1:8088");
            }
        }

        var listProjects = parsed.GetResult(ListProjectsOption) is not null
            ? parsed.GetValue(ListProjectsOption)
            : ParseBool(environment("IGNITION_SIM_LIST_PROJECTS"), "--list-projects (IGNITION_SIM_LIST_PROJECTS)", errors);
        var certificate = LoadCertificate(Value(TlsCertOption, "IGNITION_SIM_TLS_CERT"), Value(TlsKeyOption, "IGNITION_SIM_TLS_KEY"), errors);
        var startingFor = ParseStartingFor(Value(StartingForOption, "IGNITION_SIM_STARTING_FOR"), errors);
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new IgnitionSimulatorOptions
        {
            ApiToken = token!,
            DataDir = Value(DataDirOption, "IGNITION_SIM_DATA_DIR"),
            ListProjects = listProjects,
            Certificate = certificate,
            Urls = urls,
            StartingFor = startingFor,
            GatewayName = Value(GatewayNameOption, "IGNITION_SIM_GATEWAY_NAME") ?? "Ignition-simulator",
            ConsoleLogging = true,
            HandleShutdownSignals = true,
        }, errors);
    }

    private static string? ReadToken(string path, List<string> errors)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add($"--api-token-file: \"{path}\": cannot read: {e.Message}");
            return null;
        }
    }

    private static X509Certificate2? LoadCertificate(string? certFile, string? keyFile, List<string> errors)
    {
        if (certFile is null && keyFile is null)
        {
            return null;
        }

        if (certFile is null || keyFile is null)
        {
            errors.Add("--tls-cert, --tls-key: give both (PEM certificate and its PEM private key) or neither");
            return null;
        }

        try
        {
            return X509Certificate2.CreateFromPemFile(certFile, keyFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            errors.Add($"--tls-cert, --tls-key: \"{certFile}\", \"{keyFile}\": cannot load: {e.Message}");
            return null;
        }
    }

    private static TimeSpan? ParseStartingFor(string? text, List<string> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (text == "forever")
        {
            return Timeout.InfiniteTimeSpan;
        }

        foreach (var (unit, scale) in new[] { ("ms", 1.0), ("s", 1000.0), ("m", 60_000.0) })
        {
            if (text.EndsWith(unit, StringComparison.Ordinal)
                && double.TryParse(text[..^unit.Length], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
                && amount > 0)
            {
                return TimeSpan.FromMilliseconds(amount * scale);
            }
        }

        errors.Add($"--starting-for (IGNITION_SIM_STARTING_FOR): \"{text}\": must be a positive duration such as 500ms, 10s or 2m, or 'forever'");
        return null;
    }

    private static bool ParseBool(string? text, string name, List<string> errors)
    {
        switch (NonEmpty(text))
        {
            case null:
                return false;
            case "1" or "true" or "True" or "TRUE":
                return true;
            case "0" or "false" or "False" or "FALSE":
                return false;
            default:
                errors.Add($"{name}: \"{text}\": must be true or false");
                return false;
        }
    }

    private static string? NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    private static int Invalid(TextWriter stderr, IEnumerable<string> errors)
    {
        foreach (var error in errors)
        {
            stderr.WriteLine($"error: {error}");
        }

        stderr.WriteLine("Run 'ignition-simulator --help' for usage.");
        return InvalidOptions;
    }
}
