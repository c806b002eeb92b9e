namespace Stoker.Templating.Parsing;

/// <summary><c>$x</c> or <c>$x.Field.Chain</c>; <see cref="Ident"/>[0] is the variable name with its <c>$</c>.</summary>
internal sealed class VariableNode(int pos, IReadOnlyList<string> ident) : Node(pos)
{
    public IReadOnlyList<string> Ident { get; } = ident;

    public override string ToString() => string.Join(".", Ident);
}
