namespace Stoker.Templating.Parsing;

/// <summary>Unwinds the recursive-descent parser; <see cref="Parser.Parse"/> turns it into a <see cref="TemplateParseException"/>.</summary>
internal sealed class ParseFailure(int pos, string reason) : Exception(reason)
{
    public int Pos { get; } = pos;
}
