namespace Stoker.Templating.Parsing;

/// <summary><c>.A.B.C</c> on dot; <see cref="Ident"/> holds the names without dots.</summary>
internal sealed class FieldNode(int pos, IReadOnlyList<string> ident) : Node(pos)
{
    public IReadOnlyList<string> Ident { get; } = ident;

    public override string ToString() => string.Concat(Ident.Select(i => "." + i));
}
