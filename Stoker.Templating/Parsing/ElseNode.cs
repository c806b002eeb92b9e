namespace Stoker.Templating.Parsing;

/// <summary>Parser-internal marker for <c>{{else}}</c>; never part of a finished tree.</summary>
internal sealed class ElseNode(int pos) : Node(pos)
{
    public override string ToString() => "{{else}}";
}
