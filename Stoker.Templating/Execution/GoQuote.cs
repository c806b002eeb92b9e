using System.Globalization;
using System.Text;

namespace Stoker.Templating.Execution;

/// <summary>Go's strconv quoting (Quote, QuoteToASCII, QuoteRune, CanBackquote) and unicode.IsPrint.</summary>
internal static class GoQuote
{
    private const string LowerHex = "0123456789abcdef";

    public static string Quote(string s) => Quote(s, '"', asciiOnly: false);

    public static string Quote(string s, char quote, bool asciiOnly)
    {
        var sb = new StringBuilder(s.Length + 2);
        sb.Append(quote);
        foreach (var rune in EnumerateRunes(s))
        {
            AppendEscapedRune(sb, rune, quote, asciiOnly);
        }

        sb.Append(quote);
        return sb.ToString();
    }

    public static string QuoteRune(int r, bool asciiOnly)
    {
        if (r < 0 || r > 0x10FFFF || !Rune.IsValid(r))
        {
            r = 0xFFFD;
        }

        var sb = new StringBuilder(8);
        sb.Append('\'');
        AppendEscapedRune(sb, r, '\'', asciiOnly);
        sb.Append('\'');
        return sb.ToString();
    }

    public static bool CanBackquote(string s)
    {
        foreach (var rune in EnumerateRunes(s))
        {
            if (rune == 0xFFFD || rune == '`' || rune == 0xFEFF)
            {
                return false;
            }

            if (rune < ' ' && rune != '\t')
            {
                return false;
            }

            if (rune == 0x7F)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.</summary>
    public static bool IsPrint(int r)
    {
        if (r == ' ')
        {
            return true;
        }

        if (r < 0 || r > 0x10FFFF || !Rune.IsValid(r))
        {
            return false;
        }

        return Rune.GetUnicodeCategory(new Rune(r)) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
                or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
                or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber
                or UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
                or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
                or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation
                or UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or UnicodeCategory.ModifierSymbol
                or UnicodeCategory.OtherSymbol => true,
            _ => false,
        };
    }

    /// <summary>The code points of <paramref name="s"/>; a lone surrogate reads as U+FFFD, as invalid UTF-8 does in Go.</summary>
    public static IEnumerable<int> EnumerateRunes(string s)
    {
        foreach (var rune in s.EnumerateRunes())
        {
            yield return rune.Value;
        }
    }

    private static void AppendEscapedRune(StringBuilder sb, int r, char quote, bool asciiOnly)
    {
        if (r == quote || r == '\\')
        {
            sb.Append('\\').Append((char)r);
            return;
        }

        if (asciiOnly ? r < 0x80 && IsPrint(r) : IsPrint(r))
        {
            sb.Append(char.ConvertFromUtf32(r));
            return;
        }

        switch (r)
        {
            case '\a': sb.Append("\\a"); return;
            case '\b': sb.Append("\\b"); return;
            case '\f': sb.Append("\\f"); return;
            case '\n': sb.Append("\\n"); return;
            case '\r': sb.Append("\\r"); return;
            case '\t': sb.Append("\\t"); return;
            case '\v': sb.Append("\\v"); return;
        }

        if (r < ' ' || r == 0x7F)
        {
            sb.Append("\\x").Append(LowerHex[r >> 4]).Append(LowerHex[r & 0xF]);
        }
        else if (r < 0x10000)
        {
            sb.Append("\\u");
            AppendHex(sb, r, 4);
        }
        else
        {
            sb.Append("\\U");
            AppendHex(sb, r, 8);
        }
    }

    private static void AppendHex(StringBuilder sb, int value, int digits)
    {
        for (var shift = (digits - 1) * 4; shift >= 0; shift -= 4)
        {
            sb.Append(LowerHex[(value >> shift) & 0xF]);
        }
    }
}
