using System.Text.Json;
using k8s;

namespace Stoker.Silo.Kubernetes;

/// <summary>
/// How to list and watch one kind of object through KubernetesClient, for <see cref="ListWatchLoop"/>.
/// </summary>
/// <param name="Kind">The objects' name in logs (<c>GatewaySyncs</c>, <c>pods</c>).</param>
/// <param name="ListPage">(namespace or null for all, continue token) → one page of the list (at most 500 items), as KubernetesClient returns it.</param>
/// <param name="Watch">(namespace or null, resourceVersion, timeout seconds, stream error callback) → the watch's events, bookmarks asked for.</param>
public sealed record WatchSource(
    string Kind,
    Func<string?, string?, CancellationToken, Task<object>> ListPage,
    Func<string?, string, int, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType Type, JsonElement Object)>> Watch)
{
    public const int PageSize = 500;
}
