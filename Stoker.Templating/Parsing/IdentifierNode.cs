namespace Stoker.Templating.Parsing;

/// <summary>A function name.</summary>
internal sealed class IdentifierNode(int pos, string name) : Node(pos)
{
    public string Name { get; } = name;

    public override string ToString() => Name;
}
