using Stoker.AgentClient.Ignition;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Ignition;

public sealed class IgnitionClientOptionsTests : IDisposable
{
    private readonly TempDirectory _temp = new("ignition-options");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void FromEnvironment_NothingSet_UsesTheOriginalsDefaults()
    {
        var options = IgnitionClientOptions.FromEnvironment(_ => null);

        Assert.Equal(new Uri("http://localhost:8088/"), options.BaseUrl);
        Assert.Null(options.ApiToken);
        Assert.Equal(TimeSpan.FromSeconds(30), options.RequestTimeout);
        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)], options.ScanRetryDelays);
        Assert.False(options.InsecureSkipTlsVerify);
        Assert.Equal((TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5)), (options.DesignerPollInterval, options.DesignerMaxWait));
    }

    [Fact]
    public void FromEnvironment_AllSet_ReadsThem()
    {
        var keyFile = _temp.Combine("api-key");
        File.WriteAllText(keyFile, "  stoker:s3cret\n");
        var ca = _temp.Combine("ca.pem");
        using (var certificates = TestCertificates.Create())
        {
            certificates.WritePem(certificates.Authority, ca);
        }

        var options = IgnitionClientOptions.FromEnvironment(Variables(new()
        {
            ["GATEWAY_PORT"] = "8043",
            ["GATEWAY_TLS"] = "T",
            ["API_KEY_FILE"] = keyFile,
            ["IGNITION_CA_FILE"] = ca,
            ["IGNITION_REQUEST_TIMEOUT"] = "1500ms",
        }));

        Assert.Equal(new Uri("https://localhost:8043/"), options.BaseUrl);
        Assert.Equal("stoker:s3cret", options.ApiToken);
        Assert.Equal(ca, options.CaFile);
        Assert.Equal($"API_KEY_FILE ({keyFile})", options.ApiTokenSource);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), options.RequestTimeout);
        Assert.DoesNotContain("s3cret", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void FromEnvironment_InvalidValues_NamesEveryVariableAndValue()
    {
        var error = Assert.Throws<IgnitionOptionsException>(() => IgnitionClientOptions.FromEnvironment(Variables(new()
        {
            ["GATEWAY_PORT"] = "80880",
            ["GATEWAY_TLS"] = "yes",
            ["API_KEY_FILE"] = _temp.Combine("missing-key"),
            ["IGNITION_CA_FILE"] = _temp.Combine("missing-ca.pem"),
            ["IGNITION_REQUEST_TIMEOUT"] = "soon",
        })));

        Assert.Collection(
            error.Errors,
            e => Assert.Equal("GATEWAY_PORT: \"80880\": must be a port number 1-65535", e),
            e => Assert.Equal("GATEWAY_TLS: \"yes\": must be true or false", e),
            e => Assert.StartsWith($"API_KEY_FILE: \"{_temp.Combine("missing-key")}\": cannot read the API key: ", e, StringComparison.Ordinal),
            e => Assert.Equal("IGNITION_REQUEST_TIMEOUT: \"soon\": must be a duration such as 30s, 1500ms or 2m", e),
            e => Assert.StartsWith($"IGNITION_CA_FILE: \"{_temp.Combine("missing-ca.pem")}\": cannot read the CA certificates: ", e, StringComparison.Ordinal));
    }

    [Fact]
    public void FromEnvironment_EmptyKeyFile_IsAnError()
    {
        var keyFile = _temp.Combine("empty-key");
        File.WriteAllText(keyFile, " \n");

        var error = Assert.Throws<IgnitionOptionsException>(() => IgnitionClientOptions.FromEnvironment(Variables(new() { ["API_KEY_FILE"] = keyFile })));

        Assert.Equal([$"API_KEY_FILE: \"{keyFile}\": the file is empty"], error.Errors);
    }

    [Fact]
    public void FromEnvironment_CaFileAndSkipVerify_AreExclusive()
    {
        var ca = _temp.Combine("ca.pem");
        File.WriteAllText(ca, "not a certificate");

        var error = Assert.Throws<IgnitionOptionsException>(() => IgnitionClientOptions.FromEnvironment(Variables(new()
        {
            ["IGNITION_CA_FILE"] = ca,
            ["IGNITION_INSECURE_SKIP_TLS_VERIFY"] = "true",
        })));

        Assert.Equal(["IGNITION_CA_FILE, IGNITION_INSECURE_SKIP_TLS_VERIFY: give one or the other: a CA to verify with, or no verification"], error.Errors);
    }

    [Fact]
    public void FromEnvironment_CaFileWithoutCertificates_IsAnError()
    {
        var ca = _temp.Combine("ca.pem");
        File.WriteAllText(ca, "not a certificate");

        var error = Assert.Throws<IgnitionOptionsException>(() => IgnitionClientOptions.FromEnvironment(Variables(new() { ["IGNITION_CA_FILE"] = ca })));

        Assert.Equal([$"IGNITION_CA_FILE: \"{ca}\": holds no PEM certificate (-----BEGIN CERTIFICATE-----)"], error.Errors);
    }

    [Fact]
    public void Constructor_InvalidOptions_Throws()
    {
        using var http = new HttpClient();

        var error = Assert.Throws<IgnitionOptionsException>(() => new IgnitionClient(http, new IgnitionClientOptions { RequestTimeout = TimeSpan.Zero }));

        Assert.Equal(["IGNITION_REQUEST_TIMEOUT: 00:00:00: must be more than 0 and at most 1 day"], error.Errors);
    }

    private static Func<string, string?> Variables(Dictionary<string, string> values) => name => values.GetValueOrDefault(name);
}
