using System.Text.Json.Nodes;

namespace Stoker.Tests.FakeKubeApi;

/// <summary>
/// One write in the store's history, kept so that a watch can start from any resourceVersion after the
/// compaction point. <see cref="Previous"/> lets a watch with a label selector turn a change that moves an
/// object into or out of the selection into ADDED or DELETED, as the API server does.
/// </summary>
public sealed record StoredChange(long ResourceVersion, ObjectKey Key, JsonObject? Previous, JsonObject Current, bool Deleted);
