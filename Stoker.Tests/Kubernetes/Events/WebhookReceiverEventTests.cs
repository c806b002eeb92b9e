using System.Net;
using System.Text;
using k8s;
using Stoker.Tests.Infrastructure;
using Stoker.Tests.Kubernetes.Mode;

namespace Stoker.Tests.Kubernetes.Events;

/// <summary>
/// The webhook receiver's event, from a real <c>stoker-silo</c> process in Kubernetes mode: a ref request it passes on
/// is a Normal <c>WebhookReceived</c> event on the custom resource, reported by <c>webhook-receiver</c>.
/// </summary>
public sealed class WebhookReceiverEventTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private KubernetesModeBed _bed = null!;

    public async Task InitializeAsync() => _bed = await KubernetesModeBed.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task A_requested_ref_is_a_WebhookReceived_event_from_the_webhook_receiver()
    {
        _bed.Repo.Tag("v1.0.0");
        await using var silo = await SiloProcess.StartAsync(new SiloProcessSettings
        {
            Name = "events",
            Environment = new Dictionary<string, string>
            {
                ["Stoker__Silo__Mode"] = "Kubernetes",
                ["Stoker__Kubernetes__KubeconfigPath"] = _bed.Kubeconfig,
                ["Stoker__Kubernetes__Identity"] = "silo-events",
                ["Stoker__Kubernetes__LeaderElection"] = "false",
                ["Stoker__Webhook__AllowUnauthenticated"] = "true",
            },
        });
        await _bed.CreateAsync("plant", "site");
        await Eventually.Until(() => _bed.GetAsync("plant", "site"),
            r => KubernetesModeBed.Text(KubernetesModeBed.Condition(r, "RefResolved")?["status"]) == "True", Timeout, $"the resource's status; silo output:\n{silo.Output}");

        using var body = new StringContent("""{"ref":"v1.0.0"}""", Encoding.UTF8, "application/json");
        using var answer = await silo.Http.PostAsync(new Uri("/webhook/plant/site", UriKind.Relative), body);
        Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);

        var received = await Eventually.Until(
            async () => (await _bed.Client.CoreV1.ListNamespacedEventAsync("plant")).Items.FirstOrDefault(e => e.Reason == "WebhookReceived"),
            e => e is not null, Timeout, $"the WebhookReceived event; silo output:\n{silo.Output}");
        Assert.Equal("Normal", received!.Type);
        Assert.Equal("Webhook from generic, ref \"v1.0.0\"", received.Message);
        Assert.Equal("webhook-receiver", received.Source.Component);
        Assert.Equal("webhook-receiver", received.ReportingComponent);
        Assert.Equal("silo-events", received.ReportingInstance);
        Assert.Equal("GatewaySync", received.InvolvedObject.Kind);
        Assert.Equal("site", received.InvolvedObject.Name);
        Assert.Equal(KubernetesModeBed.Text((await _bed.GetAsync("plant", "site"))!["metadata"]!["uid"]), received.InvolvedObject.Uid);
        Assert.Equal(1, received.Count);
    }
}
