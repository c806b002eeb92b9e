using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Tests.Webhooks;

/// <summary>
/// Issue 11 defect 9: badly signed webhooks to names nobody applied must not activate a GatewaySync grain each
/// (observed through the silo's own management grain), while a signed request to an applied resource still works.
/// </summary>
[Collection(WebhookCollection.Name)]
public sealed class UnknownResourceActivationTests(WebhookFixture fixture)
{
    private const string Secret = "activation-secret";
    private const int Requests = 300;

    [Fact]
    public async Task BadlySignedRequestsToRandomNames_ActivateNoGatewaySyncGrain_ValidPathStillWorks()
    {
        await using var receiver = await fixture.StartReceiverAsync(WebhookRequests.Settings(hmac: Secret));
        var prefix = "probe-" + Guid.NewGuid().ToString("N")[..6];
        var grain = await fixture.ApplyAsync(prefix + "-real");

        using var gate = new SemaphoreSlim(16);
        var codes = await Task.WhenAll(Enumerable.Range(0, Requests).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                using var response = await receiver.Http.SendAsync(WebhookRequests.Post("ns", $"{prefix}-{i}", """{"ref":"v2.0.0"}""", hmacSecret: "not-the-secret"));
                return response.StatusCode;
            }
            finally
            {
                gate.Release();
            }
        }));

        Assert.All(codes, c => Assert.Equal(HttpStatusCode.Unauthorized, c));
        var activated = await ActiveGatewaySyncKeysAsync(prefix + "-");
        Assert.True(activated.Count == 1, $"{activated.Count} GatewaySync grains active for the probed names (only the applied one may be): {string.Join(", ", activated.Take(5))}");

        using var signed = await receiver.Http.SendAsync(WebhookRequests.Post("ns", prefix + "-real", """{"ref":"v2.0.0"}""", Secret));
        using var unknownSigned = await receiver.Http.SendAsync(WebhookRequests.Post("ns", prefix + "-nobody", """{"ref":"v2.0.0"}""", Secret));
        Assert.Equal(HttpStatusCode.Accepted, signed.StatusCode);
        Assert.Equal("v2.0.0", WebhookFixture.Annotation(await grain.Get(), Annotations.RequestedRef));
        Assert.Equal(HttpStatusCode.NotFound, unknownSigned.StatusCode);
        Assert.Single(await ActiveGatewaySyncKeysAsync(prefix + "-"));
    }

    /// <summary>Keys of active GatewaySync grains in namespace <c>ns</c> whose name starts with <paramref name="namePrefix"/>, as the silo counts them.</summary>
    private async Task<IReadOnlyList<string>> ActiveGatewaySyncKeysAsync(string namePrefix)
    {
        var grains = fixture.Host.SiloServices.GetRequiredService<IGrainFactory>();
        var statistics = await grains.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        return statistics
            .Where(s => s.GrainType.Contains("GatewaySync", StringComparison.Ordinal))
            .Select(s => s.GrainId.Key.ToString() ?? "")
            .Where(k => k.StartsWith("ns/" + namePrefix, StringComparison.Ordinal))
            .ToList();
    }
}
