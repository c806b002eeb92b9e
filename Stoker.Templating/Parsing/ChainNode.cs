namespace Stoker.Templating.Parsing;

/// <summary>Field access on a term that is not dot or a variable, e.g. <c>(index .M "k").Name</c>.</summary>
internal sealed class ChainNode(int pos, Node node, IReadOnlyList<string> fields) : Node(pos)
{
    public Node Node { get; } = node;

    public IReadOnlyList<string> Fields { get; } = fields;

    public override string ToString()
    {
        var head = Node is PipeNode ? "(" + Node + ")" : Node.ToString();
        return head + string.Concat(Fields.Select(f => "." + f));
    }
}
