namespace Stoker.Templating.Parsing;

/// <summary>A string literal; <see cref="Quoted"/> is the source text, <see cref="Text"/> the unquoted value.</summary>
internal sealed class StringNode(int pos, string quoted, string text) : Node(pos)
{
    public string Quoted { get; } = quoted;

    public string Text { get; } = text;

    public override string ToString() => Quoted;
}
