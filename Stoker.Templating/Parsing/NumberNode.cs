namespace Stoker.Templating.Parsing;

/// <summary>A numeric or character constant, with every interpretation Go's parser derives from its text.</summary>
internal sealed class NumberNode(int pos, string text) : Node(pos)
{
    public string Text { get; } = text;

    public bool IsInt { get; set; }

    public bool IsUint { get; set; }

    public bool IsFloat { get; set; }

    public long Int64 { get; set; }

    public ulong Uint64 { get; set; }

    public double Float64 { get; set; }

    public override string ToString() => Text;
}
