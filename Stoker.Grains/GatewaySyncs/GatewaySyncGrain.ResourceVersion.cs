using System.Security.Cryptography;
using System.Text;
using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Grains.GatewaySyncs;

/// <summary>
/// <c>metadata.resourceVersion</c> in local mode, where no API server assigns one (docs/kubectl.md, "Resource
/// versions"): it changes whenever what a client reads changes (spec, metadata or status), so <c>kubectl get -w</c>
/// and optimistic concurrency can tell one state from the next. It is the time of the change in microseconds since
/// the Unix epoch, and always above the previous one: ordered within a resource, and across resources as far as the
/// silos' clocks agree, which is what a list's resourceVersion needs to mean "changes after this list".
/// </summary>
public sealed partial class GatewaySyncGrain
{
    private byte[]? _viewDigest;

    /// <summary>
    /// The view a client reads (Get, Apply's answer), with its resourceVersion. Only reads pay for the digest: the
    /// status flushes of a fan-out (a view per batch of reports, with thousands of gateways in it) never compute it,
    /// and a version compared at read time still changes whenever anything read changed since the last read.
    /// </summary>
    private GatewaySync? Read() =>
        View() is not { } view ? null
        : view.Metadata.ResourceVersion is not null ? view
        : view with { Metadata = view.Metadata with { ResourceVersion = ResourceVersionOf(view) } };

    /// <summary>Bumps the version when the view differs from the one the current version was given to.</summary>
    private string ResourceVersionOf(GatewaySync view)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(Interfaces.Serialization.GatewaySyncSerializer.ToJson(view)));
        if (_viewDigest is null && S.ResourceVersion > 0)
        {
            // First view after activation: the persisted version is this view's (the state changes only here).
            _viewDigest = digest;
        }
        else if (_viewDigest is null || !digest.AsSpan().SequenceEqual(_viewDigest))
        {
            _viewDigest = digest;
            S.ResourceVersion = Math.Max(S.ResourceVersion + 1, time.GetUtcNow().ToUnixTimeMilliseconds() * 1000);
        }

        return S.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
