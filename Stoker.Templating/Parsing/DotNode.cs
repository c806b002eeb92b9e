namespace Stoker.Templating.Parsing;

internal sealed class DotNode(int pos) : Node(pos)
{
    public override string ToString() => ".";
}
