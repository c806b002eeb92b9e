using System.Globalization;
using System.Text;

namespace Stoker.Silo.Kubernetes.Events;

/// <summary>
/// Makes an event message safe to write: control characters escaped (messages carry error texts and refs that came
/// from outside) and the whole cut to a number of UTF-8 bytes, ending in an ellipsis when cut.
/// </summary>
public static class EventText
{
    private const string Ellipsis = "\u2026";

    public static string Bound(string? message, int maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 8);
        if (string.IsNullOrEmpty(message))
        {
            return "";
        }

        // Escape until the limit is passed (a huge message is never escaped whole), remembering where the text still
        // left room for the ellipsis: the cut goes there.
        var budget = maxBytes - Encoding.UTF8.GetByteCount(Ellipsis);
        var builder = new StringBuilder(Math.Min(message.Length, maxBytes));
        var bytes = 0;
        var cut = 0;
        for (var i = 0; i < message.Length; i++)
        {
            var piece = Piece(message, i);
            if (piece.Length == 2 && char.IsSurrogatePair(piece[0], piece[1]))
            {
                i++;
            }

            bytes += Encoding.UTF8.GetByteCount(piece);
            if (bytes > maxBytes)
            {
                return builder.ToString(0, cut) + Ellipsis;
            }

            builder.Append(piece);
            if (bytes <= budget)
            {
                cut = builder.Length;
            }
        }

        return builder.ToString();
    }

    private static string Piece(string message, int i)
    {
        var ch = message[i];
        return ch switch
        {
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            _ when char.IsHighSurrogate(ch) && i + 1 < message.Length && char.IsLowSurrogate(message[i + 1]) => message.Substring(i, 2),
            _ when char.IsControl(ch) || char.IsSurrogate(ch) || ch is '\u2028' or '\u2029' => "\\u" + ((int)ch).ToString("x4", CultureInfo.InvariantCulture),
            _ => ch.ToString(),
        };
    }
}
