using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Stoker.Tests.FakeKubeApi;

/// <summary>
/// A fake Kubernetes API server for tests, faithful at the wire: real Kubernetes JSON over plain HTTP on a
/// loopback port, so the real KubernetesClient (and kubectl) talk to it unchanged.
/// <list type="bullet">
/// <item>Resources (see <see cref="ResourceCatalog"/>): <c>gatewaysyncs.stoker.io/v1alpha1</c> (custom, with
/// <c>/status</c>), core <c>pods</c> (with <c>/status</c>), <c>events</c>, <c>secrets</c> (base64 <c>data</c>,
/// <c>stringData</c> folded into it on write, at most 1 MiB: <see cref="SecretData"/>), <c>namespaces</c>,
/// <c>events.k8s.io/v1</c> events, <c>coordination.k8s.io/v1</c> leases, CRDs, and
/// <c>authentication.k8s.io/v1</c> tokenreviews (answered from <see cref="RegisterToken"/>, never stored) and
/// <c>authorization.k8s.io/v1</c> subjectaccessreviews (answered from the rules of <see cref="Allow"/>, never stored).</item>
/// <item>Objects carry uid, creationTimestamp and a resourceVersion from one global counter; custom resources
/// carry a generation, bumped when anything outside metadata and status changes and when deletion starts.</item>
/// <item>get (404 NotFound), list (label selectors <c>k</c>, <c>!k</c>, <c>k=v</c>, <c>k!=v</c>, <c>k in (..)</c>;
/// field selectors on metadata.name/namespace), create (409 AlreadyExists; status dropped when the resource has
/// a status subresource), update with optimistic concurrency (409 Conflict), merge patch, JSON patch and
/// strategic merge patch (approximated by a merge patch), on the object and on <c>/status</c>: status writes
/// change only status, object writes never change status. A write that changes nothing keeps the
/// resourceVersion and sends no event.</item>
/// <item>delete honours finalizers: the object gets deletionTimestamp (MODIFIED) and stays until an update
/// removes the last finalizer (then DELETED); no new finalizers once deleting.</item>
/// <item><c>?watch=1</c>: chunked stream of <c>{"type","object"}</c> lines from the given resourceVersion
/// (empty or 0: synthetic ADDED for what exists), BOOKMARKs when <c>allowWatchBookmarks</c>, objects leaving a
/// label selector seen as DELETED. A resourceVersion older than the last <see cref="Compact"/> gets an HTTP
/// 410 (Status reason Expired), or with <see cref="FakeKubeApiOptions.GoneAsErrorEvent"/> a 200 stream with an
/// ERROR event; <see cref="ExpireWatches"/> sends that ERROR into open streams; <see cref="DropWatches"/> ends them.</item>
/// <item>Admission: registered Mutating/Validating webhooks (<see cref="RegisterWebhook"/>) get an AdmissionReview v1
/// before creates and updates of their resource; denials and JSONPatch responses take effect as on a real server.</item>
/// <item>Discovery: <c>/version</c>, <c>/api</c>, <c>/api/v1</c>, <c>/apis</c>, <c>/apis/GROUP[/VERSION]</c>; OpenAPI v3
/// stubs (<see cref="OpenApiDocuments"/>) and server-side Table printing with the stored CRD's printer columns
/// (<see cref="TableConverter"/>), so <c>kubectl apply/get -o wide/describe/delete</c> work against it; metadata-only
/// gets, lists and watches (<c>as=PartialObjectMetadata[List]</c>, <see cref="PartialMetadata"/>).</item>
/// </list>
/// Not served: the <c>/finalizers</c> URL (a real API server has none either: that RBAC subresource only
/// guards owner references; finalizers change through the object itself), server-side apply, protobuf,
/// list paging (<c>limit</c> is ignored, everything comes at once), OpenAPI schemas and v2 (objects are not
/// validated against the CRD's schema; strategic merge patch is a merge patch), namespaces need not exist, authentication
/// (every request is accepted; <see cref="Requests"/> records what was asked so tests can compare it with RBAC).
/// Run it in-process (<see cref="StartAsync"/>) or as its own process (<c>stoker-fake-kube-api</c>, see Program.cs).
/// </summary>
public sealed class FakeKubeApiServer : IAsyncDisposable
{
    private readonly Lock gate = new();
    private readonly List<RecordedRequest> requests = [];
    private readonly List<InjectedFailure> failures = [];
    private WebApplication? app;
    private Uri? url;

    public FakeKubeApiServer(FakeKubeApiOptions? options = null)
    {
        Options = options ?? new FakeKubeApiOptions();
        Store = new ObjectStore(Options.Time);
        Tokens = new TokenReviewer(Options.Time);
        Tables = new TableConverter(Store, Options.Time);
    }

    public FakeKubeApiOptions Options { get; }

    /// <summary>All objects; survives <see cref="StopAsync"/> so a restarted server keeps its state, like etcd.</summary>
    public ObjectStore Store { get; }

    public TokenReviewer Tokens { get; }

    /// <summary>The authorizer SubjectAccessReviews ask: nothing is allowed unless <see cref="Allow"/> granted it.</summary>
    public AccessReviewer Access { get; } = new();

    public TableConverter Tables { get; }

    /// <summary>Admission webhooks called before creates and updates (see <see cref="RegisterWebhook"/>).</summary>
    public AdmissionChain Admission { get; } = new();

    /// <summary>Base address, e.g. <c>http://127.0.0.1:41234</c>; valid after <see cref="StartAsync"/>.</summary>
    public Uri Url => url ?? throw new InvalidOperationException("the fake API server has not been started");

    public bool IsRunning => app is not null;

    /// <summary>Every request so far, oldest first.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (gate)
            {
                return requests.ToList();
            }
        }
    }

    /// <summary>Starts listening on 127.0.0.1 at <paramref name="port"/> (0: a free port; after a stop, pass the old port to come back at the same address).</summary>
    public async Task StartAsync(int port = 0, CancellationToken cancellation = default)
    {
        if (app is not null)
        {
            throw new InvalidOperationException("the fake API server is already running");
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, port);
            kestrel.Limits.MaxRequestBodySize = Options.MaxRequestBodyBytes;
        });
        var web = builder.Build();
        var handler = new ApiRequestHandler(this);
        web.Run(handler.HandleAsync);
        await web.StartAsync(cancellation);
        var address = web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        url = new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal));
        app = web;
    }

    /// <summary>Stops listening (open watches end); the objects stay for a later <see cref="StartAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (app is { } running)
        {
            app = null;
            Store.DropWatches();
            await running.StopAsync();
            await running.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    /// <summary>Writes a kubeconfig pointing at this server (token auth with <paramref name="token"/>) and returns its path.</summary>
    public string WriteKubeconfig(string path, string defaultNamespace = "default", string token = "fake-admin-token")
    {
        var text = $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: fake
              cluster:
                server: {Url.ToString().TrimEnd('/')}
            users:
            - name: fake
              user:
                token: {token}
            contexts:
            - name: fake
              context:
                cluster: fake
                user: fake
                namespace: {defaultNamespace}
            current-context: fake

            """;
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Stores an object as given (status included), resolving its resource from apiVersion and kind.</summary>
    public JsonObject Seed(string json)
    {
        var obj = JsonNode.Parse(json) as JsonObject ?? throw new ArgumentException("not a JSON object", nameof(json));
        return Seed(obj);
    }

    public JsonObject Seed(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var apiVersion = obj["apiVersion"]?.GetValue<string>() ?? throw new ArgumentException("apiVersion is missing", nameof(obj));
        var kind = obj["kind"]?.GetValue<string>() ?? throw new ArgumentException("kind is missing", nameof(obj));
        var type = ResourceCatalog.All.FirstOrDefault(r => r.ApiVersion == apiVersion && r.Kind == kind)
            ?? throw new ArgumentException($"the fake serves no {apiVersion} {kind}", nameof(obj));
        return Store.Seed(type, obj);
    }

    /// <summary>The stored GatewaySync, or null.</summary>
    public JsonObject? GetGatewaySync(string ns, string name) => Store.TryGet(ResourceCatalog.GatewaySyncs, ns, name);

    /// <inheritdoc cref="ObjectStore.Compact"/>
    public void Compact() => Store.Compact();

    /// <inheritdoc cref="ObjectStore.DropWatches"/>
    public int DropWatches() => Store.DropWatches();

    /// <inheritdoc cref="ObjectStore.ExpireWatches"/>
    public int ExpireWatches() => Store.ExpireWatches();

    /// <summary>Makes <paramref name="token"/> authenticate in TokenReviews as <paramref name="identity"/>.</summary>
    public void RegisterToken(string token, TokenIdentity identity) => Tokens.Register(token, identity);

    public void RevokeToken(string token) => Tokens.Revoke(token);

    /// <summary>Lets SubjectAccessReviews that match <paramref name="rule"/> be allowed.</summary>
    public void Allow(AccessRule rule) => Access.Allow(rule);

    /// <summary>Calls <paramref name="webhook"/> before matching creates and updates, as a webhook configuration would.</summary>
    public void RegisterWebhook(AdmissionWebhook webhook) => Admission.Register(webhook);

    /// <summary>The next <paramref name="times"/> requests matching <paramref name="match"/> get <paramref name="code"/> (a Status body) instead of an answer.</summary>
    public InjectedFailure InjectFailure(Func<RecordedRequest, bool> match, int code, int times = 1)
    {
        var failure = new InjectedFailure(match, code, times);
        lock (gate)
        {
            failures.Add(failure);
        }

        return failure;
    }

    public void ClearRequests()
    {
        lock (gate)
        {
            requests.Clear();
        }
    }

    internal void Record(RecordedRequest request)
    {
        lock (gate)
        {
            requests.Add(request);
        }
    }

    internal InjectedFailure? TakeInjectedFailure(RecordedRequest request)
    {
        lock (gate)
        {
            foreach (var failure in failures)
            {
                if (failure.Remaining > 0 && failure.Match(request))
                {
                    failure.Remaining--;
                    failure.Hits++;
                    return failure;
                }
            }

            return null;
        }
    }

    /// <summary>A resourceVersion as the wire carries it.</summary>
    public static string Version(long rv) => rv.ToString(CultureInfo.InvariantCulture);
}
