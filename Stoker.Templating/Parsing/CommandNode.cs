namespace Stoker.Templating.Parsing;

/// <summary>One pipeline stage: a function, field or value followed by its arguments.</summary>
internal sealed class CommandNode(int pos) : Node(pos)
{
    public List<Node> Args { get; } = [];

    public override string ToString() =>
        string.Join(" ", Args.Select(a => a is PipeNode ? "(" + a + ")" : a.ToString()));
}
