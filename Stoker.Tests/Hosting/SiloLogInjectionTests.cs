using System.Net;
using System.Text;
using Stoker.Silo.Webhooks;
using Stoker.Tests.Api;
using Stoker.Tests.Infrastructure;
using Stoker.Tests.Webhooks;

namespace Stoker.Tests.Hosting;

/// <summary>
/// Issue 11 defect 8, seen in the real silo's console log: neither a ref nor a path carrying a line break can write
/// a line of its own (the forged <c>fail: …</c> line the issue showed).
/// </summary>
public sealed class SiloLogInjectionTests
{
    private const string Secret = "log-injection-secret";

    [Fact]
    public async Task WebhooksCarryingLineBreaks_NoForgedLineInTheSilosLog()
    {
        using var repo = GitRepository.Create();
        repo.WriteFile("projects/A/p.json", "0");
        repo.Commit("initial");
        await using var silo = await SiloProcess.StartAsync(new SiloProcessSettings { Name = "prog", Environment = new Dictionary<string, string> { ["Stoker__Webhook__HmacSecret"] = Secret } });
        using (var content = new StringContent(Manifests.GatewaySync("marker", "logs", repo.Path), Encoding.UTF8, "application/yaml"))
        using (var applied = await silo.Http.PutAsync(new Uri("/apis/stoker.io/v1alpha1/namespaces/logs/gatewaysyncs/marker", UriKind.Relative), content))
        {
            Assert.True(applied.IsSuccessStatusCode, await applied.Content.ReadAsStringAsync());
        }

        using var forgedPath = await silo.Http.SendAsync(WebhookRequests.Post("logs", "x%0Afail:%20Forged[0]%20ADMIN%20LOGGED%20IN", """{"ref":"main"}""", "wrong"));
        using var forgedRef = await silo.Http.SendAsync(WebhookRequests.Post("logs", "marker", """{"ref":"main\nfail: Forged[1] ADMIN LOGGED IN"}""", Secret));
        using var marker = await silo.Http.SendAsync(WebhookRequests.Post("logs", "marker", """{"ref":"v-marker"}""", Secret));

        Assert.Equal(HttpStatusCode.Unauthorized, forgedPath.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, forgedRef.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, marker.StatusCode);

        // The console logger writes in order: once the marker's line is out, so is everything logged before it.
        var output = await Eventually.Until(() => Task.FromResult(silo.Output), o => o.Contains("ref v-marker", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), "the accepted webhook's log line");
        var forged = output.Split('\n').Where(l => l.TrimStart().StartsWith("fail: Forged", StringComparison.Ordinal)).ToList();
        Assert.True(forged.Count == 0, "forged log lines:\n" + string.Join('\n', forged) + "\n--- silo ---\n" + output);
        Assert.DoesNotContain(WebhookSignature.HmacHeader + ": sha256=", output, StringComparison.Ordinal);
    }
}
