using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using Stoker.Grains.Interfaces.Security;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Api;

/// <summary>
/// The silo's HTTPS port (<c>Stoker:Silo:HttpsPort</c>, docs/kubectl.md "HTTPS"): the same API as the HTTP port, with
/// the state folder's certificate, trusted through the state folder's CA alone; the HTTP port keeps answering.
/// </summary>
public sealed class HttpsEndpointTests
{
    [Fact]
    public async Task HttpsPort_ServesTheApiWithTheSilosCertificate_VerifiedByTheStateFoldersCa_HttpStillServed()
    {
        await using var silo = await SiloProcess.StartAsync(new SiloProcessSettings { Name = "https", Https = true });

        using var ca = X509Certificate2.CreateFromPem(File.ReadAllText(StokerStateFolder.CaCertificateFile(silo.StatePath)));
        X509Certificate2? served = null;
        using var handler = new HttpClientHandler
        {
            // Only the silo's CA is trusted: the system store plays no part, as with kubectl's certificate-authority.
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                served = new X509Certificate2(certificate!);
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(certificate!);
            },
        };
        using var https = new HttpClient(handler) { BaseAddress = silo.HttpsAddress };

        using (var healthz = await https.GetAsync(new Uri("/healthz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, healthz.StatusCode);
        }

        Assert.NotNull(served);
        Assert.Equal(File.ReadAllText(StokerStateFolder.SiloCertificateFile(silo.StatePath)).Trim(), served!.ExportCertificatePem().Trim());

        using var anonymous = await https.GetAsync(new Uri("/apis/stoker.io/v1alpha1/gatewaysyncs", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/apis/stoker.io/v1alpha1/gatewaysyncs");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", silo.AdminToken.Token);
        using var list = await https.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);

        Assert.Equal(200, await silo.StatusAsync("/healthz"));
    }
}
