using System.Text;

namespace Stoker.Sync.Patching;

// gjson's key wildcards (tidwall/match): `*` is any run of characters, `?` one character (a Unicode
// scalar), `\` makes the next character literal. Matched with the classic last-star backtracking loop,
// which is O(n·m) and so needs no complexity limit.
internal static class WildcardMatch
{
    public static bool IsMatch(string text, string pattern)
    {
        var value = text.EnumerateRunes().ToArray();
        var tokens = Tokenize(pattern);
        if (tokens is null)
        {
            return false;
        }

        int t = 0, v = 0, starToken = -1, starValue = 0;
        while (v < value.Length)
        {
            if (t < tokens.Count && tokens[t] is { } token && (token.Kind == TokenKind.Any || (token.Kind == TokenKind.Literal && token.Rune == value[v])))
            {
                t++;
                v++;
            }
            else if (t < tokens.Count && tokens[t].Kind == TokenKind.Star)
            {
                starToken = t++;
                starValue = v;
            }
            else if (starToken >= 0)
            {
                t = starToken + 1;
                v = ++starValue;
            }
            else
            {
                return false;
            }
        }

        while (t < tokens.Count && tokens[t].Kind == TokenKind.Star)
        {
            t++;
        }

        return t == tokens.Count;
    }

    // Null when the pattern can match nothing (it ends in a lone `\`).
    private static List<Token>? Tokenize(string pattern)
    {
        var tokens = new List<Token>();
        var runes = pattern.EnumerateRunes().ToArray();
        for (var i = 0; i < runes.Length; i++)
        {
            var rune = runes[i];
            if (rune.Value == '*')
            {
                tokens.Add(new Token(TokenKind.Star, rune));
            }
            else if (rune.Value == '?')
            {
                tokens.Add(new Token(TokenKind.Any, rune));
            }
            else if (rune.Value == '\\')
            {
                if (++i >= runes.Length)
                {
                    return null;
                }

                tokens.Add(new Token(TokenKind.Literal, runes[i]));
            }
            else
            {
                tokens.Add(new Token(TokenKind.Literal, rune));
            }
        }

        return tokens;
    }

    private enum TokenKind
    {
        Literal,
        Any,
        Star,
    }

    private readonly record struct Token(TokenKind Kind, Rune Rune);
}
