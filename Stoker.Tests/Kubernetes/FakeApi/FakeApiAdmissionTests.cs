using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Stoker.Tests.FakeKubeApi;
using Stoker.Tests.Infrastructure;
using static Stoker.Tests.Kubernetes.FakeApi.FakeApiHarness;

namespace Stoker.Tests.Kubernetes.FakeApi;

/// <summary>The fake calls registered admission webhooks with AdmissionReview v1 and honours their answers.</summary>
public sealed class FakeApiAdmissionTests
{
    [Fact]
    public async Task A_validating_webhook_refuses_bad_objects_and_a_mutating_one_patches_pods()
    {
        await using var webhooks = await StartWebhooksAsync();
        await using var fake = await StartAsync();
        var baseUrl = webhooks.Urls.First();
        fake.Server.RegisterWebhook(new AdmissionWebhook("vgatewaysync.stoker.io", Mutating: false, ResourceCatalog.GatewaySyncs, new Uri(baseUrl + "/validate"), ["CREATE", "UPDATE"]));
        fake.Server.RegisterWebhook(new AdmissionWebhook("mpod.stoker.io", Mutating: true, ResourceCatalog.Pods, new Uri(baseUrl + "/mutate"), ["CREATE"]));
        var custom = fake.Client.CustomObjects;

        var bad = GatewaySync("bad");
        bad["spec"]!["git"]!.AsObject().Remove("repo");
        var refused = await Assert.ThrowsAsync<HttpOperationException>(() => custom.CreateNamespacedCustomObjectAsync(bad, CrGroup, CrVersion, "default", CrPlural));
        Assert.Equal(HttpStatusCode.BadRequest, refused.Response.StatusCode);
        Assert.Contains("""admission webhook \"vgatewaysync.stoker.io\" denied the request: spec.git.repo: Required value""", refused.Response.Content, StringComparison.Ordinal);
        Assert.Null(fake.Server.GetGatewaySync("default", "bad"));

        await custom.CreateNamespacedCustomObjectAsync(GatewaySync("good"), CrGroup, CrVersion, "default", CrPlural);
        var breakIt = new V1Patch("""{"spec":{"git":{"repo":null}}}""", V1Patch.PatchType.MergePatch);
        var refusedPatch = await Assert.ThrowsAsync<HttpOperationException>(() => custom.PatchNamespacedCustomObjectAsync(breakIt, CrGroup, CrVersion, "default", CrPlural, "good"));
        Assert.Equal(HttpStatusCode.BadRequest, refusedPatch.Response.StatusCode);
        Assert.Equal("https://example.invalid/repo.git", fake.Server.GetGatewaySync("default", "good")!["spec"]!["git"]!["repo"]!.GetValue<string>());

        // Status writes do not pass through the object's webhooks.
        await custom.PatchNamespacedCustomObjectStatusAsync(new V1Patch("""{"status":{"lastSyncRef":"main"}}""", V1Patch.PatchType.MergePatch), CrGroup, CrVersion, "default", CrPlural, "good");

        var pod = await fake.Client.CoreV1.CreateNamespacedPodAsync(new V1Pod { Metadata = new V1ObjectMeta { Name = "ignition-0" }, Spec = new V1PodSpec { Containers = [new V1Container { Name = "gateway", Image = "ignition" }] } }, "plant");
        Assert.Equal("true", pod.Metadata.Labels["stoker.io/injected"]);
        Assert.Equal(["agent", "gateway"], pod.Spec.Containers.Select(c => c.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_unreachable_webhook_fails_writes_unless_its_policy_is_ignore()
    {
        await using var fake = await StartAsync();
        var nowhere = new Uri($"http://127.0.0.1:{FreePort.Next()}/validate");
        fake.Server.RegisterWebhook(new AdmissionWebhook("vgatewaysync.stoker.io", Mutating: false, ResourceCatalog.GatewaySyncs, nowhere, ["CREATE"]));
        fake.Server.RegisterWebhook(new AdmissionWebhook("mpod.stoker.io", Mutating: true, ResourceCatalog.Pods, nowhere, ["CREATE"], FailurePolicyIgnore: true));

        var failed = await Assert.ThrowsAsync<HttpOperationException>(() => fake.Client.CustomObjects.CreateNamespacedCustomObjectAsync(GatewaySync("a"), CrGroup, CrVersion, "default", CrPlural));
        Assert.Equal(HttpStatusCode.InternalServerError, failed.Response.StatusCode);
        Assert.Contains("failed calling webhook \\\"vgatewaysync.stoker.io\\\"", failed.Response.Content, StringComparison.Ordinal);

        var pod = await fake.Client.CoreV1.CreateNamespacedPodAsync(new V1Pod { Metadata = new V1ObjectMeta { Name = "p" }, Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "i" }] } }, "plant");
        Assert.Equal("p", pod.Metadata.Name);
    }

    /// <summary>A tiny webhook server: /validate requires spec.git.repo; /mutate labels the pod and adds an agent container.</summary>
    private static async Task<WebApplication> StartWebhooksAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost("/validate", async (HttpContext context) =>
        {
            var review = JsonNode.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync())!;
            var repo = review["request"]!["object"]!["spec"]?["git"]?["repo"];
            var response = new JsonObject { ["uid"] = review["request"]!["uid"]!.GetValue<string>(), ["allowed"] = repo is not null };
            if (repo is null)
            {
                response["status"] = new JsonObject { ["code"] = 400, ["reason"] = "Invalid", ["message"] = "spec.git.repo: Required value" };
            }

            return Results.Text(Answer(response), "application/json");
        });
        app.MapPost("/mutate", async (HttpContext context) =>
        {
            var review = JsonNode.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync())!;
            var patch = """[{"op":"add","path":"/metadata/labels","value":{"stoker.io/injected":"true"}},{"op":"add","path":"/spec/containers/-","value":{"name":"agent","image":"stoker-agent"}}]""";
            var response = new JsonObject
            {
                ["uid"] = review["request"]!["uid"]!.GetValue<string>(),
                ["allowed"] = true,
                ["patchType"] = "JSONPatch",
                ["patch"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(patch)),
            };
            return Results.Text(Answer(response), "application/json");
        });
        await app.StartAsync();
        return app;
    }

    private static string Answer(JsonObject response) =>
        new JsonObject { ["apiVersion"] = "admission.k8s.io/v1", ["kind"] = "AdmissionReview", ["response"] = response }.ToJsonString();
}
