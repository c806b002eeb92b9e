using System.Globalization;
using System.Text.RegularExpressions;
using Stoker.Grains.Interfaces.Serialization;
using Stoker.Grains.Interfaces.Validation;
using Stoker.Silo.Hosting;
using Stoker.Silo.Http;
using Stoker.Silo.Persistence;
using Stoker.Silo.Webhooks;
using Stoker.Templating;
using Stoker.Tests.Demo;

namespace Stoker.Tests.Docs;

/// <summary>
/// docs/security.md states limits users plan around: each one is the value the code enforces, and every source
/// file the page points to exists.
/// </summary>
public sealed partial class SecurityPageTests
{
    private static readonly string Page = File.ReadAllText(Checkout.Combine("docs", "security.md"));

    public static TheoryData<string, string> Limits() => new()
    {
        { "resource nesting depth", $"{ResourceLimits.MaxDepth} levels of mappings and sequences" },
        { "resource values", $"{ResourceLimits.MaxValues.ToString("N0", CultureInfo.InvariantCulture)} values per text" },
        { "resource text", $"| {ResourceLimits.MaxTextLength / (1024 * 1024)} MiB (characters" },
        { "ref length", $"at most **{GitRefFormat.MaxBytes} bytes**" },
        { "ref length (resources)", $"at most {GitRefFormat.MaxBytes} bytes, `422`" },
        { "logged caller values", $"cut at {UntrustedText.MaxChars}" },
        { "webhook body", $"first {WebhookReceiverOptions.DefaultMaxBodyBytes / (1024 * 1024)} MiB is read" },
        { "session expiry", $"`Stoker:Silo:AgentSessionExpiry`, {new StokerSiloOptions().AgentSessionExpiry.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s" },
        { "readiness cache", $"cached for {PostgresStorageHealthCheck.CacheFor.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s" },
        { "resource documents", $"{ResourceLimits.MaxDocuments.ToString("N0", CultureInfo.InvariantCulture)} documents per text" },
        { "resource strings", $"{ResourceLimits.MaxStringLength / 1024} KiB per string ({ResourceLimits.MaxStringLength} characters)" },
        { "template steps", $"{TemplateLimits.MaxSteps.ToString("N0", CultureInfo.InvariantCulture)} steps" },
        { "template output", $"{TemplateLimits.MaxOutputChars.ToString("N0", CultureInfo.InvariantCulture)} characters of output" },
        { "headers timeout", $"`RequestHeadersTimeout` ({new HttpLimitsOptions().RequestHeadersTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s)" },
        { "body data rate", $"`MinRequestBodyDataRate` ({new HttpLimitsOptions().MinRequestBodyDataRate.ToString(CultureInfo.InvariantCulture)} bytes/s)" },
        { "connections", $"`MaxConcurrentConnections` ({new HttpLimitsOptions().MaxConcurrentConnections.ToString(CultureInfo.InvariantCulture)})" },
        { "default body", $"`MaxRequestBodyBytes` ({new HttpLimitsOptions().MaxRequestBodyBytes.ToString(CultureInfo.InvariantCulture)} bytes)" },
        { "audit file size", $"`MaxFileBytes` ({new Stoker.Silo.Audit.AuditOptions().MaxFileBytes.ToString(CultureInfo.InvariantCulture)} bytes)" },
        { "audit files kept", $"`MaxFiles` ({new Stoker.Silo.Audit.AuditOptions().MaxFiles.ToString(CultureInfo.InvariantCulture)}) renamed files" },
        { "audit string bound", $"cut at {Stoker.Silo.Audit.AuditRecordJson.MaxStringLength} characters" },
        { "headers size", $"`MaxRequestHeadersTotalSize` ({new HttpLimitsOptions().MaxRequestHeadersTotalSize.ToString(CultureInfo.InvariantCulture)} bytes)" },
    };

    [Theory]
    [MemberData(nameof(Limits))]
    public void Page_StatesTheLimitTheCodeEnforces(string limit, string expected) =>
        Assert.True(Page.Contains(expected, StringComparison.Ordinal), $"docs/security.md does not state the {limit} as \"{expected}\"");

    [Fact]
    public void EverySourceFileNamed_Exists()
    {
        var files = SourceFile().Matches(Page).Select(m => m.Groups["path"].Value).Distinct().ToList();

        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.True(File.Exists(Checkout.Combine(f.Split('/'))), $"{f} does not exist"));
    }

    [GeneratedRegex(@"`(?<path>Stoker\.[A-Za-z.]+/[A-Za-z/]+\.cs)`", RegexOptions.CultureInvariant)]
    private static partial Regex SourceFile();
}
