namespace Stoker.Templating.Parsing;

/// <summary>A parse-tree node. <see cref="ToString"/> reproduces Go's Node.String(), used in error context.</summary>
internal abstract class Node(int pos)
{
    /// <summary>Character index into the template text, as Go's node positions.</summary>
    public int Pos { get; } = pos;

    public abstract override string ToString();
}
