namespace Stoker.Templating.Parsing;

/// <summary>Optional variable declarations followed by commands joined with <c>|</c>.</summary>
internal sealed class PipeNode(int pos) : Node(pos)
{
    public bool IsAssign { get; set; }

    public List<VariableNode> Decl { get; } = [];

    public List<CommandNode> Cmds { get; } = [];

    public override string ToString()
    {
        var decl = Decl.Count == 0
            ? string.Empty
            : string.Join(", ", Decl) + (IsAssign ? " = " : " := ");
        return decl + string.Join(" | ", Cmds);
    }
}
