using System.Globalization;
using Stoker.Templating.Execution;

namespace Stoker.Templating.Parsing;

/// <summary>A lexed item; <see cref="Pos"/> is a character index into the template text.</summary>
internal readonly record struct Token(TokenKind Kind, int Pos, string Value)
{
    public bool IsKeyword => Kind >= TokenKind.Block;

    // Go's item.String(), used in "unexpected X in Y" messages.
    public override string ToString()
    {
        if (Kind == TokenKind.Eof)
        {
            return "EOF";
        }

        if (Kind == TokenKind.Error)
        {
            return Value;
        }

        if (IsKeyword)
        {
            return string.Create(CultureInfo.InvariantCulture, $"<{Value}>");
        }

        if (System.Text.Encoding.UTF8.GetByteCount(Value) > 10)
        {
            var runes = Value.EnumerateRunes().Take(10);
            return GoQuote.Quote(string.Concat(runes.Select(r => r.ToString()))) + "...";
        }

        return GoQuote.Quote(Value);
    }
}
