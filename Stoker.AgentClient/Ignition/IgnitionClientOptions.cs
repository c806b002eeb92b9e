using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Stoker.AgentClient.Ignition;

/// <summary>
/// How the agent reaches its gateway. <see cref="FromEnvironment"/> reads the original's variables
/// (<c>GATEWAY_PORT</c>, <c>GATEWAY_TLS</c>, <c>API_KEY_FILE</c>) plus the port's TLS and timeout settings.
/// </summary>
public sealed class IgnitionClientOptions
{
    public const string GatewayPortVariable = "GATEWAY_PORT";
    public const string GatewayTlsVariable = "GATEWAY_TLS";
    public const string ApiKeyFileVariable = "API_KEY_FILE";
    public const string CaFileVariable = "IGNITION_CA_FILE";
    public const string InsecureSkipTlsVerifyVariable = "IGNITION_INSECURE_SKIP_TLS_VERIFY";
    public const string RequestTimeoutVariable = "IGNITION_REQUEST_TIMEOUT";
    public const string DesignerPollIntervalVariable = "DESIGNER_POLL_INTERVAL";
    public const string DesignerMaxWaitVariable = "DESIGNER_MAX_WAIT";
    public const int DefaultGatewayPort = 8088;

    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Polly's timeout strategy accepts at most a day; longer is a typo, not a wish.</summary>
    private static readonly TimeSpan MaxRequestTimeout = TimeSpan.FromDays(1);

    public Uri BaseUrl { get; init; } = GatewayBaseUrl(DefaultGatewayPort, tls: false);

    /// <summary>The Ignition API key (<c>name:secret</c>); sent as <c>X-Ignition-API-Token</c> when set. Never logged.</summary>
    public string? ApiToken { get; init; }

    /// <summary>Where <see cref="ApiToken"/> came from, for error messages (<c>API_KEY_FILE</c> or a path).</summary>
    public string ApiTokenSource { get; init; } = ApiKeyFileVariable;

    /// <summary>Bounds every single HTTP exchange (connect, headers and body), so a hanging gateway cannot hang the agent.</summary>
    public TimeSpan RequestTimeout { get; init; } = DefaultRequestTimeout;

    /// <summary>Waits before the 2nd, 3rd… attempt of a scan call; the original waits 2 s then 4 s (3 attempts).</summary>
    public IReadOnlyList<TimeSpan> ScanRetryDelays { get; init; } = [TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)];

    /// <summary>PEM file of the certificate authorities to trust for the gateway's HTTPS certificate (instead of the system's).</summary>
    public string? CaFile { get; init; }

    /// <summary>Accept any gateway certificate. Off by default (the original always skipped verification).</summary>
    public bool InsecureSkipTlsVerify { get; init; }

    /// <summary>How often the <c>wait</c> designer policy asks again.</summary>
    public TimeSpan DesignerPollInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the <c>wait</c> designer policy waits for sessions to close before it blocks the sync.</summary>
    public TimeSpan DesignerMaxWait { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary><c>http://localhost:PORT</c>, or <c>https://</c> with TLS: the agent runs beside its gateway.</summary>
    public static Uri GatewayBaseUrl(int port, bool tls) => new($"{(tls ? "https" : "http")}://localhost:{port.ToString(CultureInfo.InvariantCulture)}/");

    /// <summary>
    /// Reads the options from variables (the environment, or command-line values merged over it by the caller).
    /// Throws <see cref="IgnitionOptionsException"/> listing every invalid variable.
    /// </summary>
    public static IgnitionClientOptions FromEnvironment(Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        var errors = new List<string>();
        string? Get(string name) => string.IsNullOrWhiteSpace(variable(name)) ? null : variable(name)!.Trim();

        var port = DefaultGatewayPort;
        if (Get(GatewayPortVariable) is { } portText
            && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            errors.Add($"{GatewayPortVariable}: \"{portText}\": must be a port number 1-65535");
        }

        var tls = ParseBool(Get(GatewayTlsVariable), GatewayTlsVariable, errors);
        var insecure = ParseBool(Get(InsecureSkipTlsVerifyVariable), InsecureSkipTlsVerifyVariable, errors);
        string? token = null;
        var keyFile = Get(ApiKeyFileVariable);
        if (keyFile is not null)
        {
            token = ReadApiToken(keyFile, errors);
        }

        var timeout = DefaultRequestTimeout;
        if (Get(RequestTimeoutVariable) is { } timeoutText && !TryParseSeconds(timeoutText, out timeout))
        {
            timeout = DefaultRequestTimeout;
            errors.Add($"{RequestTimeoutVariable}: \"{timeoutText}\": must be a duration such as 30s, 1500ms or 2m");
        }

        var designerPoll = TimeSpan.FromSeconds(10);
        if (Get(DesignerPollIntervalVariable) is { } pollText && (!TryParseSeconds(pollText, out designerPoll) || designerPoll <= TimeSpan.Zero))
        {
            designerPoll = TimeSpan.FromSeconds(10);
            errors.Add($"{DesignerPollIntervalVariable}: \"{pollText}\": must be a positive duration such as 10s, 500ms or 1m");
        }

        var designerMaxWait = TimeSpan.FromMinutes(5);
        if (Get(DesignerMaxWaitVariable) is { } maxWaitText && !TryParseSeconds(maxWaitText, out designerMaxWait))
        {
            designerMaxWait = TimeSpan.FromMinutes(5);
            errors.Add($"{DesignerMaxWaitVariable}: \"{maxWaitText}\": must be a duration such as 5m, 30s or 1500ms");
        }

        var options = new IgnitionClientOptions
        {
            BaseUrl = GatewayBaseUrl(port is >= 1 and <= 65535 ? port : DefaultGatewayPort, tls),
            ApiToken = token,
            ApiTokenSource = keyFile is null ? ApiKeyFileVariable : $"{ApiKeyFileVariable} ({keyFile})",
            RequestTimeout = timeout,
            CaFile = Get(CaFileVariable),
            InsecureSkipTlsVerify = insecure,
            DesignerPollInterval = designerPoll,
            DesignerMaxWait = designerMaxWait,
        };
        errors.AddRange(options.Validate());
        if (errors.Count > 0)
        {
            throw new IgnitionOptionsException(errors);
        }

        return options;
    }

    /// <summary>The API key in <paramref name="path"/>, whitespace-trimmed; an unreadable or empty file is an error, not "no key".</summary>
    public static string? ReadApiToken(string path, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        try
        {
            var token = File.ReadAllText(path).Trim();
            if (token.Length == 0)
            {
                errors.Add($"{ApiKeyFileVariable}: \"{path}\": the file is empty");
                return null;
            }

            return token;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            errors.Add($"{ApiKeyFileVariable}: \"{path}\": cannot read the API key: {e.Message}");
            return null;
        }
    }

    /// <summary>Every problem with these options, each naming the setting, the value and the rule.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (BaseUrl is not { IsAbsoluteUri: true } || (BaseUrl.Scheme != Uri.UriSchemeHttp && BaseUrl.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"gateway URL: \"{BaseUrl}\": must be an absolute http:// or https:// address");
        }

        if (RequestTimeout <= TimeSpan.Zero || RequestTimeout > MaxRequestTimeout)
        {
            errors.Add($"{RequestTimeoutVariable}: {RequestTimeout}: must be more than 0 and at most 1 day");
        }

        if (ScanRetryDelays.Any(d => d < TimeSpan.Zero))
        {
            errors.Add($"scan retry delays: [{string.Join(", ", ScanRetryDelays)}]: must not be negative");
        }

        if (DesignerPollInterval <= TimeSpan.Zero)
        {
            errors.Add($"designer poll interval: {DesignerPollInterval}: must be positive");
        }

        if (DesignerMaxWait < TimeSpan.Zero)
        {
            errors.Add($"designer max wait: {DesignerMaxWait}: must not be negative");
        }

        if (ApiToken is not null && (ApiToken.Length == 0 || ApiToken.Any(char.IsControl)))
        {
            // The value is a secret: name the rule, never the value.
            errors.Add($"{ApiTokenSource}: the API key is empty or contains control characters");
        }

        if (CaFile is not null && InsecureSkipTlsVerify)
        {
            errors.Add($"{CaFileVariable}, {InsecureSkipTlsVerifyVariable}: give one or the other: a CA to verify with, or no verification");
        }
        else if (CaFile is not null)
        {
            LoadCaCertificates(errors);
        }

        return errors;
    }

    public override string ToString() =>
        $"{BaseUrl} (token {(ApiToken is null ? "none" : "set")}, timeout {RequestTimeout}, "
        + $"tls {(InsecureSkipTlsVerify ? "not verified" : CaFile is null ? "system trust" : $"CA {CaFile}")})";

    /// <summary>The certificates of <see cref="CaFile"/>; problems go to <paramref name="errors"/>.</summary>
    internal X509Certificate2Collection LoadCaCertificates(List<string> errors)
    {
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPemFile(CaFile!);
            if (certificates.Count == 0)
            {
                errors.Add($"{CaFileVariable}: \"{CaFile}\": holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            errors.Add($"{CaFileVariable}: \"{CaFile}\": cannot read the CA certificates: {e.Message}");
        }

        return certificates;
    }

    /// <summary>Go's <c>strconv.ParseBool</c> set, as the original read <c>GATEWAY_TLS</c>; anything else is an error here.</summary>
    private static bool ParseBool(string? text, string name, List<string> errors)
    {
        switch (text)
        {
            case null:
                return false;
            case "1" or "t" or "T" or "TRUE" or "true" or "True":
                return true;
            case "0" or "f" or "F" or "FALSE" or "false" or "False":
                return false;
            default:
                errors.Add($"{name}: \"{text}\": must be true or false");
                return false;
        }
    }

    private static bool TryParseSeconds(string text, out TimeSpan value)
    {
        value = default;
        foreach (var (unit, milliseconds) in new[] { ("ms", 1.0), ("s", 1_000.0), ("m", 60_000.0) })
        {
            if (text.EndsWith(unit, StringComparison.Ordinal)
                && double.TryParse(text[..^unit.Length], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            {
                value = TimeSpan.FromMilliseconds(amount * milliseconds);
                return true;
            }
        }

        return false;
    }
}
