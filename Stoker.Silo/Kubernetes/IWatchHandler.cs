using System.Text.Json.Nodes;

namespace Stoker.Silo.Kubernetes;

/// <summary>What a <see cref="ListWatchLoop"/> does with the objects it lists and the events it watches.</summary>
public interface IWatchHandler
{
    /// <summary>
    /// A full list of one scope (a namespace, or null for all): everything the handler took from this scope and that is
    /// not listed any more went away while nobody watched (a watch gap, a new leader).
    /// </summary>
    Task ListedAsync(string? @namespace, IReadOnlyList<JsonObject> items, CancellationToken cancellationToken);

    /// <summary>An ADDED or MODIFIED event.</summary>
    Task ChangedAsync(JsonObject item, CancellationToken cancellationToken);

    /// <summary>A DELETED event.</summary>
    Task DeletedAsync(JsonObject item, CancellationToken cancellationToken);
}
