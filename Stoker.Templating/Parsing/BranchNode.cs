namespace Stoker.Templating.Parsing;

/// <summary>Go's IfNode, WithNode and RangeNode, which share one shape.</summary>
internal sealed class BranchNode(int pos, BranchKind kind, PipeNode pipe, ListNode list, ListNode? elseList) : Node(pos)
{
    public BranchKind Kind { get; } = kind;

    public PipeNode Pipe { get; } = pipe;

    public ListNode List { get; } = list;

    public ListNode? ElseList { get; } = elseList;

    public override string ToString()
    {
        var name = Kind switch
        {
            BranchKind.If => "if",
            BranchKind.With => "with",
            _ => "range",
        };
        var elsePart = ElseList is null ? string.Empty : "{{else}}" + ElseList;
        return "{{" + name + " " + Pipe + "}}" + List + elsePart + "{{end}}";
    }
}
