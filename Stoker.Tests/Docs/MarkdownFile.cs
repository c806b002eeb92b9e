using System.Text;
using System.Text.RegularExpressions;

namespace Stoker.Tests.Docs;

/// <summary>
/// The parts of a Markdown page the documentation tests check: fenced code blocks, table rows and links, each with
/// the heading it is under, and the anchors GitHub makes of the headings.
/// </summary>
internal sealed partial class MarkdownFile
{
    private MarkdownFile(string path, string text)
    {
        Path = path;
        Text = text;
        string section = "";
        string[]? header = null;
        CodeBlock? open = null;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                if (open is null)
                {
                    open = new CodeBlock(section, line.TrimStart()[3..].Trim(), [], i + 1);
                }
                else
                {
                    CodeBlocks.Add(open);
                    open = null;
                }

                continue;
            }

            if (open is not null)
            {
                open.Lines.Add(line);
                continue;
            }

            if (Heading().Match(line) is { Success: true } heading)
            {
                section = heading.Groups["text"].Value.Trim();
                Anchors.Add(Slug(section));
                header = null;
                continue;
            }

            if (line.StartsWith('|'))
            {
                var cells = Cells(line);
                if (cells.All(c => SeparatorCell().IsMatch(c)))
                {
                    continue;
                }

                if (header is null && i + 1 < lines.Length && lines[i + 1].StartsWith("|-", StringComparison.Ordinal))
                {
                    header = cells;
                    continue;
                }

                Rows.Add(new TableRow(section, header ?? [], cells, i + 1));
                continue;
            }

            header = null;
            foreach (Match link in LinkPattern().Matches(WithoutCodeSpans(line)))
            {
                Links.Add(new Link(link.Groups["target"].Value, i + 1));
            }
        }

        foreach (var row in Rows)
        {
            foreach (var cell in row.Cells)
            {
                foreach (Match link in LinkPattern().Matches(WithoutCodeSpans(cell)))
                {
                    Links.Add(new Link(link.Groups["target"].Value, row.Line));
                }
            }
        }
    }

    public string Path { get; }

    public string Text { get; }

    public List<CodeBlock> CodeBlocks { get; } = [];

    public List<TableRow> Rows { get; } = [];

    public List<Link> Links { get; } = [];

    public HashSet<string> Anchors { get; } = new(StringComparer.Ordinal);

    public static MarkdownFile Load(string path) => new(path, File.ReadAllText(path));

    public static MarkdownFile Parse(string text, string path = "(text)") => new(path, text);

    /// <summary>The text of each <c>`code span`</c> in <paramref name="text"/>.</summary>
    public static IReadOnlyList<string> CodeSpans(string text) => [.. CodeSpan().Matches(text).Select(m => m.Groups["code"].Value)];

    /// <summary>The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens.</summary>
    public static string Slug(string heading)
    {
        var slug = new StringBuilder();
        foreach (var c in heading.Trim().ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c) || c is '-' or '_')
            {
                slug.Append(c);
            }
            else if (c == ' ')
            {
                slug.Append('-');
            }
        }

        return slug.ToString();
    }

    private static string[] Cells(string line)
    {
        var inner = line.Trim();
        inner = inner.Length > 1 && inner.EndsWith('|') ? inner[1..^1] : inner[1..];
        return [.. UnescapedPipe().Split(inner).Select(c => c.Trim().Replace("\\|", "|", StringComparison.Ordinal))];
    }

    private static string WithoutCodeSpans(string text) => CodeSpan().Replace(text, "");

    [GeneratedRegex(@"^#{1,6}\s+(?<text>.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex Heading();

    [GeneratedRegex(@"^:?-{3,}:?$", RegexOptions.CultureInvariant)]
    private static partial Regex SeparatorCell();

    [GeneratedRegex(@"(?<!\\)\|", RegexOptions.CultureInvariant)]
    private static partial Regex UnescapedPipe();

    [GeneratedRegex(@"`(?<code>[^`]+)`", RegexOptions.CultureInvariant)]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)", RegexOptions.CultureInvariant)]
    private static partial Regex LinkPattern();

    /// <summary>A fenced block: the heading it is under, its info string (<c>bash</c>), its lines and where it starts.</summary>
    internal sealed record CodeBlock(string Section, string Language, List<string> Lines, int Line);

    /// <summary>A table row with its table's header cells.</summary>
    internal sealed record TableRow(string Section, string[] Header, string[] Cells, int Line)
    {
        /// <summary>The cell under the header named <paramref name="column"/>.</summary>
        public string Cell(string column)
        {
            var index = Array.IndexOf(Header, column);
            return index >= 0 && index < Cells.Length
                ? Cells[index]
                : throw new Xunit.Sdk.XunitException($"line {Line}: the table under \"{Section}\" has no column \"{column}\" (columns: {string.Join(", ", Header)})");
        }
    }

    /// <summary>A link target as written (<c>docs/x.md#anchor</c>) and its line.</summary>
    internal sealed record Link(string Target, int Line);
}
