using System.Text.Json.Nodes;
using Stoker.Tests.Api;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Kubectl;

/// <summary>
/// Real kubectl binaries (Debian's 1.20 and the machine's) against a real silo in local mode: <c>kubectl describe gs</c>
/// shows the controller's events, a wrong token is Unauthorized, and the kubeconfig <c>stoker kubeconfig</c> writes works.
/// </summary>
public sealed class EventsKubectlTests(EventsKubectlSilo fixture) : IClassFixture<EventsKubectlSilo>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public static IEnumerable<object[]> Binaries() => EventsKubectlSilo.Binaries();

    [Theory]
    [MemberData(nameof(Binaries))]
    public async Task Describe_UnresolvableRef_EventsSectionShowsTheWarning(string binary)
    {
        var ns = "describe-" + KubectlClient.MinorVersion(binary);
        using var kubectl = fixture.Kubectl(binary, ns);
        await fixture.PutAsync(ns, Manifests.GatewaySync("lost", ns, fixture.Repo.Path, @ref: "no-such-tag"));

        var describe = await Eventually.Until(() => kubectl.RunAsync("describe", "gs", "lost"),
            r => r.ExitCode == 0 && r.Stdout.Contains("RefResolutionFailed", StringComparison.Ordinal), Deadline, "the event in describe");

        var text = describe.Stdout;
        Assert.Matches(@"(?m)^Name:\s+lost$", text);
        Assert.Matches($@"(?m)^Namespace:\s+{ns}$", text);
        Assert.Matches(@"(?m)^Kind:\s+GatewaySync$", text);
        Assert.Matches(@"(?m)^\s+Ref:\s+no-such-tag$", text);
        Assert.Matches(@"(?m)^Events:\n\s+Type\s+Reason\s+Age\s+From\s+Message\n\s+----\s+------\s+----\s+----\s+-------\n", text);
        Assert.Matches(@"(?m)^\s+Warning\s+RefResolutionFailed\s+\S+\s+gatewaysync-controller\s+Ref resolution failed: .*no-such-tag", text);
    }

    [Theory]
    [MemberData(nameof(Binaries))]
    public async Task WrongToken_YouMustBeLoggedIn(string binary)
    {
        using var kubectl = new KubectlClient(binary, fixture.Silo.HttpsAddress, "not-a-token-of-this-silo", certificateAuthorityFile: fixture.Silo.CaFile);

        var get = await kubectl.RunAsync("get", "gs");
        var raw = await kubectl.RunAsync("get", "--raw", "/api/v1/namespaces/default/events");

        Assert.Equal(1, get.ExitCode);
        // kubectl prints the Status message in the parentheses (the silo's says what to send), or, where it reads no
        // Status (1.32's discovery), "the server has asked for the client to provide credentials".
        Assert.True(get.Stderr.Contains("error: You must be logged in to the server (", StringComparison.Ordinal), get.Stderr);
        Assert.Equal(1, raw.ExitCode);
        Assert.True(raw.Stderr.Contains("error: You must be logged in to the server (Unauthorized", StringComparison.Ordinal), raw.Stderr);
    }

    [Theory]
    [MemberData(nameof(Binaries))]
    public async Task StokerKubeconfig_KubectlReadsThroughIt(string binary)
    {
        var ns = "kubeconfig-" + KubectlClient.MinorVersion(binary);
        using var kubectl = fixture.Kubectl(binary, ns);
        var made = await CliProcess.RunAsync(fixture.Silo.HttpsAddress, ["kubeconfig", "--out", kubectl.KubeconfigPath, "-n", ns], statePath: fixture.Silo.StatePath);
        Assert.True(made.ExitCode == 0, made.ToString());
        Assert.Contains("certificate-authority-data: ", await File.ReadAllTextAsync(kubectl.KubeconfigPath), StringComparison.Ordinal);
        await fixture.PutAsync(ns, Manifests.GatewaySync("seen", ns, fixture.Repo.Path));

        var list = await kubectl.RunAsync("get", "--raw", $"/apis/stoker.io/v1alpha1/namespaces/{ns}/gatewaysyncs");
        var events = await kubectl.RunAsync("get", "--raw", $"/api/v1/namespaces/{ns}/events?fieldSelector=involvedObject.name%3Dseen");

        Assert.Equal("seen", (string?)JsonNode.Parse(list.Ok())!["items"]![0]!["metadata"]!["name"]);
        Assert.Equal("EventList", (string?)JsonNode.Parse(events.Ok())!["kind"]);
    }
}
