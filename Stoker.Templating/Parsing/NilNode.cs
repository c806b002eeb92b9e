namespace Stoker.Templating.Parsing;

internal sealed class NilNode(int pos) : Node(pos)
{
    public override string ToString() => "nil";
}
