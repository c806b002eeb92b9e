using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Stoker.Tests.FakeKubeApi;

/// <summary>An open watch: the store pushes matching events into it under its lock, so they stay in order.</summary>
public sealed class Watcher
{
    private readonly Channel<JsonObject> events = Channel.CreateUnbounded<JsonObject>(new UnboundedChannelOptions { SingleReader = true });

    public Watcher(ResourceType resource, string? ns, LabelSelector labels, FieldSelector fields, bool bookmarks)
    {
        Resource = resource;
        Namespace = ns;
        Labels = labels;
        Fields = fields;
        Bookmarks = bookmarks;
    }

    public ResourceType Resource { get; }

    /// <summary>The namespace watched, or null for all namespaces (and for cluster-scoped resources).</summary>
    public string? Namespace { get; }

    public LabelSelector Labels { get; }

    public FieldSelector Fields { get; }

    public bool Bookmarks { get; }

    public ChannelReader<JsonObject> Reader => events.Reader;

    public bool Selects(ObjectKey key) => key.Resource == Resource && (Namespace is null || Namespace == key.Namespace);

    public bool Matches(JsonObject obj) => Labels.Matches(obj) && Fields.Matches(obj);

    /// <summary>Turns a stored change into the event this watch would see, if any.</summary>
    public void Offer(StoredChange change)
    {
        if (!Selects(change.Key))
        {
            return;
        }

        var nowMatches = Matches(change.Current);
        if (change.Deleted)
        {
            if (nowMatches)
            {
                Push("DELETED", change.Current);
            }

            return;
        }

        var before = change.Previous is not null && Matches(change.Previous);
        if (nowMatches)
        {
            Push(before ? "MODIFIED" : "ADDED", change.Current);
        }
        else if (before)
        {
            Push("DELETED", change.Current);
        }
    }

    public void Push(string type, JsonObject obj) =>
        events.Writer.TryWrite(new JsonObject { ["type"] = type, ["object"] = obj.DeepClone() });

    public void Complete() => events.Writer.TryComplete();
}
