using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Stoker.Tests.Api;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Events;

/// <summary>
/// The real <c>stoker-silo</c> in local mode records its controller's events: a GatewaySync whose ref cannot resolve
/// gets a Warning <c>RefResolutionFailed</c> Event, served by the Events API behind the API's authentication.
/// </summary>
public sealed class LocalEventsProcessTests
{
    [Fact]
    public async Task UnresolvableRef_WarningEventServed_OnlyToAuthenticatedCallers()
    {
        using var temp = new TempDirectory("events-process");
        var repo = GitRepository.Create(temp.Combine("repo"));
        repo.WriteFile("projects/A/project.json", "{}");
        repo.Commit("first");
        await using var silo = await SiloProcess.StartAsync(new SiloProcessSettings { Name = "events" });

        using var content = new StringContent(Manifests.GatewaySync("lost", "ev-process", repo.Path, @ref: "no-such-tag"), Encoding.UTF8, "application/yaml");
        using var applied = await silo.Http.PutAsync(new Uri(ApplyApiHost.ItemPath("ev-process", "lost"), UriKind.Relative), content);
        var resource = JsonNode.Parse(await applied.Content.ReadAsStringAsync())!;
        Assert.True(applied.IsSuccessStatusCode, resource.ToJsonString());
        var uid = (string)resource["metadata"]!["uid"]!;

        var path = "/api/v1/namespaces/ev-process/events?fieldSelector=" + Uri.EscapeDataString(
            $"involvedObject.name=lost,involvedObject.namespace=ev-process,involvedObject.kind=GatewaySync,involvedObject.uid={uid}");
        var list = await Eventually.Until(async () => JsonNode.Parse(await silo.GetStringAsync(path))!,
            l => l["items"]!.AsArray().Any(i => (string?)i!["reason"] == "RefResolutionFailed"), TimeSpan.FromSeconds(60), "a RefResolutionFailed event");

        var warning = list["items"]!.AsArray().First(i => (string?)i!["reason"] == "RefResolutionFailed")!;
        Assert.Equal("Warning", (string?)warning["type"]);
        Assert.StartsWith("Ref resolution failed: ", (string?)warning["message"], StringComparison.Ordinal);
        Assert.Contains("no-such-tag", (string?)warning["message"], StringComparison.Ordinal);
        Assert.Equal(1, (int)warning["count"]!);
        Assert.Equal(uid, (string?)warning["involvedObject"]!["uid"]);

        using var anonymous = await silo.Anonymous.GetAsync(new Uri("/api/v1/namespaces/ev-process/events", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Status", (string?)JsonNode.Parse(await anonymous.Content.ReadAsStringAsync())!["kind"]);
    }
}
