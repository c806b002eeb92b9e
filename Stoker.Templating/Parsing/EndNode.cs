namespace Stoker.Templating.Parsing;

/// <summary>Parser-internal marker for <c>{{end}}</c>; never part of a finished tree.</summary>
internal sealed class EndNode(int pos) : Node(pos)
{
    public override string ToString() => "{{end}}";
}
