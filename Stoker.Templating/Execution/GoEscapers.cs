using System.Globalization;
using System.Text;

namespace Stoker.Templating.Execution;

/// <summary>text/template's html, js and urlquery escapers (funcs.go, net/url QueryEscape).</summary>
internal static class GoEscapers
{
    private const string UpperHex = "0123456789ABCDEF";

    public static string Html(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            sb.Append(c switch
            {
                '"' => "&#34;",
                '\'' => "&#39;",
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '\0' => "\uFFFD",
                _ => c.ToString(),
            });
        }

        return sb.ToString();
    }

    public static string JavaScript(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var r in GoQuote.EnumerateRunes(s))
        {
            switch (r)
            {
                case '\\': sb.Append(@"\\"); break;
                case '\'': sb.Append(@"\'"); break;
                case '"': sb.Append("\\\""); break;
                case '<': sb.Append(@"\u003C"); break;
                case '>': sb.Append(@"\u003E"); break;
                case '&': sb.Append(@"\u0026"); break;
                case '=': sb.Append(@"\u003D"); break;
                case < ' ':
                    sb.Append(@"\u00").Append(UpperHex[r >> 4]).Append(UpperHex[r & 0xF]);
                    break;
                case < 0x80:
                    sb.Append((char)r);
                    break;
                default:
                    if (GoQuote.IsPrint(r))
                    {
                        sb.Append(char.ConvertFromUtf32(r));
                    }
                    else
                    {
                        sb.Append(@"\u").Append(r.ToString("X4", CultureInfo.InvariantCulture));
                    }

                    break;
            }
        }

        return sb.ToString();
    }

    public static string UrlQuery(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var b in Encoding.UTF8.GetBytes(s))
        {
            if (b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9'
                or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
            {
                sb.Append((char)b);
            }
            else if (b == (byte)' ')
            {
                sb.Append('+');
            }
            else
            {
                sb.Append('%').Append(UpperHex[b >> 4]).Append(UpperHex[b & 0xF]);
            }
        }

        return sb.ToString();
    }
}
