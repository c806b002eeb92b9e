using System.Text;

namespace Stoker.Templating;

/// <summary>Turns a character index into Go's error location: 1-based line, 1-based UTF-8 byte column.</summary>
internal static class TextLocation
{
    public static (int Line, int Column) Of(string text, int index)
    {
        index = Math.Clamp(index, 0, text.Length);
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < index; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        var column = Encoding.UTF8.GetByteCount(text.AsSpan(lineStart, index - lineStart)) + 1;
        return (line, column);
    }
}
