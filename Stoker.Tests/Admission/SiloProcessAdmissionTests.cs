using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Stoker.Grains.Interfaces.Serialization;
using Stoker.Silo.Admission;
using Stoker.Tests.Api;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Admission;

/// <summary>
/// The built silo process with the webhooks enabled by its environment: the HTTPS port answers the injection
/// fixture with the same patch as the in-process host, and the silo's own HTTP port is unchanged beside it.
/// </summary>
public sealed class SiloProcessAdmissionTests
{
    [Fact]
    public async Task SiloProcess_AdmissionEnabled_ServesTheWebhooksOnTheirOwnHttpsPort()
    {
        using var certificates = new TempDirectory("stoker-silo-webhook-cert");
        var thumbprint = TestCertificate.Write(certificates.Path);
        var port = FreePort.Next();
        await using var silo = await SiloProcess.StartAsync(new SiloProcessSettings { Name = "admission", ClusterId = "stoker", ServiceId = "stoker", Environment = new Dictionary<string, string>
        {
            ["Stoker__Admission__Enabled"] = "true",
            ["Stoker__Admission__Port"] = port.ToString(CultureInfo.InvariantCulture),
            ["Stoker__Admission__BindAddress"] = "127.0.0.1",
            ["Stoker__Admission__CertificatePath"] = certificates.Combine("tls.crt"),
            ["Stoker__Admission__KeyPath"] = certificates.Combine("tls.key"),
            ["Stoker__Admission__SiloEndpoints"] = AdmissionHost.SiloEndpoints,
            ["DEFAULT_AGENT_IMAGE"] = AdmissionHost.DefaultImage,
        } });
        var site = GatewaySyncSerializer.ParseAll(await File.ReadAllTextAsync(Path.Combine(AdmissionFixture.Folder, "gatewaysyncs.yaml")))
            .Single(r => r.Resource?.Metadata.Name == "site").Resource!;
        using var create = await silo.Http.PostAsync("/apis/stoker.io/v1alpha1/namespaces/site/gatewaysyncs",
            new StringContent(GatewaySyncSerializer.ToJson(site), Encoding.UTF8, "application/json"));
        Assert.True(create.IsSuccessStatusCode, await create.Content.ReadAsStringAsync());
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
                certificate?.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256) == thumbprint,
        };
        using var https = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{port}") };
        var inject = Path.Combine(AdmissionFixture.Folder, "Inject");

        using var response = await https.PostAsync(AdmissionEndpoint.MutatePodPath,
            new StringContent(await File.ReadAllTextAsync(Path.Combine(inject, "04-basic-injection.request.json")), Encoding.UTF8, "application/json"));
        using var onHttpPort = await silo.Http.PostAsync(AdmissionEndpoint.MutatePodPath, new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var actual = AdmissionWire.Summary(JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
        var expected = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(inject, "04-basic-injection.expected.json")));
        // The agent is given this silo's own CA (created in its state folder); the fixture holds a fixed one in its place.
        var siloCa = actual["patch"]!.AsArray().Select(op => op!["value"]).OfType<JsonArray>().SelectMany(a => a).Select(c => c?["env"]).OfType<JsonArray>()
            .SelectMany(e => e).Single(v => (string?)v!["name"] == "SILO_CA")!;
        Assert.Equal(await File.ReadAllTextAsync(silo.CaFile), (string?)siloCa["value"]);
        siloCa["value"] = await File.ReadAllTextAsync(AdmissionHost.SiloCaFile);
        Assert.True(JsonNode.DeepEquals(expected, actual), actual.ToJsonString());
        Assert.Equal(HttpStatusCode.NotFound, onHttpPort.StatusCode);
        Assert.Equal(200, await silo.StatusAsync("/healthz"));
    }
}
