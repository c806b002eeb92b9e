using k8s;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Stoker.Grains.Events;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Silo.Kubernetes;
using Stoker.Silo.Kubernetes.Events;
using Stoker.Tests.Infrastructure;
using Stoker.Tests.Kubernetes.FakeApi;

namespace Stoker.Tests.Kubernetes.Events;

/// <summary>The recorder on its own against the fake API server: what it takes, what it drops when it cannot keep up.</summary>
public sealed class KubernetesEventRecorderTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static GatewaySync Resource(string name, bool fromKubernetes = true) => new()
    {
        Metadata = new ObjectMeta
        {
            Name = name,
            Namespace = "plant",
            Uid = "uid-" + name,
            Annotations = fromKubernetes ? new Dictionary<string, string> { [Annotations.Source] = KubernetesMode.SourceValue } : null,
        },
    };

    private static KubernetesEventRecorder Recorder(IKubernetes client, int queueCapacity = 1024) => new(
        client,
        Options.Create(new KubernetesEventOptions { QueueCapacity = queueCapacity }),
        Options.Create(new StokerKubernetesOptions { Identity = "silo-test" }),
        TimeProvider.System,
        NullLogger<KubernetesEventRecorder>.Instance);

    [Fact]
    public async Task A_full_queue_drops_the_oldest_and_counts_them_and_the_rest_is_written()
    {
        await using var fake = await FakeApiHarness.StartAsync();
        using var recorder = Recorder(fake.Client, queueCapacity: 4);

        // The writer is not running yet, as while it waits out an API server that is away: the queue fills.
        for (var i = 0; i < 10; i++)
        {
            recorder.Record(Resource("site"), GatewaySyncEvents.GatewaysDiscovered(i, i - 1));
        }

        Assert.Equal(10, recorder.Recorded);
        Assert.Equal(6, recorder.Dropped);

        await recorder.StartAsync(CancellationToken.None);
        await Eventually.Until(() => Task.FromResult(recorder.IsIdle && recorder.Created == 4), done => done, Timeout, "the four newest written");
        var messages = (await fake.Client.CoreV1.ListNamespacedEventAsync("plant")).Items.Select(e => e.Message).Order(StringComparer.Ordinal);
        Assert.Equal(Enumerable.Range(6, 4).Select(i => $"Discovered {i} gateway(s) (was {i - 1})"), messages);
        await recorder.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Resources_not_from_Kubernetes_and_nameless_ones_are_ignored()
    {
        await using var fake = await FakeApiHarness.StartAsync();
        using var recorder = Recorder(fake.Client);
        recorder.Record(Resource("local", fromKubernetes: false), GatewaySyncEvents.Paused());
        recorder.Record(Resource(""), GatewaySyncEvents.Paused());
        Assert.Equal(0, recorder.Recorded);
        Assert.Equal("silo-test", recorder.Instance);
    }

    [Fact]
    public async Task A_hostile_message_is_bounded_and_escaped_on_the_event()
    {
        await using var fake = await FakeApiHarness.StartAsync();
        using var recorder = Recorder(fake.Client);
        await recorder.StartAsync(CancellationToken.None);
        recorder.Record(Resource("site"), GatewaySyncEvents.RefResolutionFailed(EventReasons.RefResolutionFailed, "remote said:\nFAKE LOG LINE" + new string('x', 100_000)));
        var written = await Eventually.Until(async () => (await fake.Client.CoreV1.ListNamespacedEventAsync("plant")).Items, items => items.Count == 1, Timeout, "the event");
        var message = written[0].Message;
        Assert.StartsWith("Ref resolution failed: remote said:\\nFAKE LOG LINE", message, StringComparison.Ordinal);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(message) <= 1024);
        Assert.EndsWith("\u2026", message, StringComparison.Ordinal);
        await recorder.StopAsync(CancellationToken.None);
    }
}
